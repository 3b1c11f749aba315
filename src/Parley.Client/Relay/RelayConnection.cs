using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Parley.Client.Errors;
using Parley.Wire;

namespace Parley.Client.Relay;

/// <summary>
/// The client's end of the relay WebSocket (<c>/v1/ws</c>): one binary message per protobuf frame.
/// Frames from the server are size-checked before parsing. One sender at a time (a lock), one reader.
/// </summary>
public sealed class RelayConnection : IAsyncDisposable
{
    /// <summary>The largest server frame the client accepts (a 256 KiB envelope plus headers, with room).</summary>
    public const int MaxFrameSize = 512 * 1024;

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Diagnostics.ProtocolTrace? _trace;

    /// <summary>Wraps an open WebSocket.</summary>
    /// <param name="socket">The socket, already connected and authenticated.</param>
    /// <param name="trace">Prints every frame (<c>--debug</c>), or null.</param>
    public RelayConnection(WebSocket socket, Diagnostics.ProtocolTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _trace = trace;
    }

    /// <summary>Whether the socket is still open.</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Sends one frame.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the frame is written.</returns>
    public async Task SendAsync(ClientFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var bytes = frame.ToByteArray();
        _trace?.Frame(outgoing: true, frame);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Reads the next frame, or null when the server closed the connection.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The frame or null.</returns>
    /// <exception cref="ParleyClientException">With <see cref="ClientErrorKind.ProtocolViolation"/> for oversized, non-binary or malformed frames.</exception>
    public async Task<ServerFrame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    buffer = Grow(buffer, length);
                }

                ValueWebSocketReceiveResult result;
                try
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                }
                catch (WebSocketException e)
                {
                    throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                if (result.MessageType != WebSocketMessageType.Binary)
                {
                    throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
                }

                length += result.Count;
                if (length > MaxFrameSize)
                {
                    throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
                }

                if (result.EndOfMessage)
                {
                    var frame = Parse(buffer.AsSpan(0, length));
                    _trace?.Frame(outgoing: false, frame);
                    return frame;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // Closing politely is best effort; the socket is disposed either way.
        }
        finally
        {
            _socket.Dispose();
            _sendLock.Dispose();
        }
    }

    private static ServerFrame Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return ServerFrame.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation, e);
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxFrameSize + 1));
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
