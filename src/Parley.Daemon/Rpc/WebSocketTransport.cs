using System.Buffers;
using System.Net.WebSockets;
using Parley.Daemon.Api;

namespace Parley.Daemon.Rpc;

/// <summary>
/// JSON-RPC over a WebSocket: one text message per request, response or notification. A message
/// longer than <see cref="ApiLimits.MaxRequestBytes"/> is refused while it is still arriving.
/// </summary>
public sealed class WebSocketTransport : IRpcTransport
{
    private readonly WebSocket _socket;

    /// <summary>Wraps an accepted WebSocket.</summary>
    /// <param name="socket">The socket (not owned).</param>
    public WebSocketTransport(WebSocket socket) => _socket = socket ?? throw new ArgumentNullException(nameof(socket));

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var result = await _socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > ApiLimits.MaxRequestBytes)
            {
                throw new RequestTooLargeException();
            }

            if (result.EndOfMessage)
            {
                return buffer.WrittenMemory;
            }
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).AsTask();
}
