using System.Buffers;
using System.Net.WebSockets;

namespace Parley.Server.Relay;

/// <summary>Why reading a frame stopped.</summary>
internal enum FrameReadStatus
{
    Frame,
    Closed,
    TooLarge,
    NotBinary,
}

/// <summary>
/// Reads one WebSocket message into a pooled buffer, enforcing <see cref="RelayLimits.MaxFrameBytes"/>
/// while reading (never after). Waits for data with a zero-byte read, so an idle connection holds no
/// receive buffer at all.
/// </summary>
internal static class FrameReader
{
    private const int InitialBufferBytes = 4 * 1024;

    /// <summary>
    /// Reads the next message. On <see cref="FrameReadStatus.Frame"/>, the buffer is a rented array
    /// holding length bytes; the caller returns it to the shared pool.
    /// </summary>
    public static async ValueTask<(FrameReadStatus Status, byte[]? Buffer, int Length)> ReadAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (first.MessageType == WebSocketMessageType.Close)
        {
            return (FrameReadStatus.Closed, null, 0);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var length = 0;
        try
        {
            while (true)
            {
                var limit = Math.Min(buffer.Length, RelayLimits.MaxFrameBytes + 1);
                if (length == limit)
                {
                    if (limit == RelayLimits.MaxFrameBytes + 1)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (FrameReadStatus.TooLarge, null, 0);
                    }

                    buffer = Grow(buffer, length);
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length, Math.Min(buffer.Length, RelayLimits.MaxFrameBytes + 1) - length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (FrameReadStatus.Closed, null, 0);
                }

                length += result.Count;
                if (length > RelayLimits.MaxFrameBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (FrameReadStatus.TooLarge, null, 0);
                }

                if (result.EndOfMessage)
                {
                    if (result.MessageType != WebSocketMessageType.Binary)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (FrameReadStatus.NotBinary, null, 0);
                    }

                    return (FrameReadStatus.Frame, buffer, length);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        // One byte past the cap is enough to detect an oversized frame.
        var size = Math.Min(RelayLimits.MaxFrameBytes + 1, buffer.Length * 4);
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
