using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Parley.Wire;

namespace Parley.Server.Tests.Relay.Support;

/// <summary>
/// A bare relay client for tests: real WebSocket, real protobuf frames, no client library. Frames the
/// server sends are buffered in arrival order; tests take them with <see cref="NextAsync"/>.
/// </summary>
public sealed class RelayTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Channel<ServerFrame> _frames = Channel.CreateUnbounded<ServerFrame>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receive;
    private ulong _nonce;

    public RelayTestClient(WebSocket socket, string username)
    {
        Socket = socket;
        Username = username;
        _receive = Task.Run(ReceiveLoopAsync);
    }

    public WebSocket Socket { get; }

    public string Username { get; }

    /// <summary>Frames skipped by <see cref="NextAsync"/> because they did not match.</summary>
    public List<ServerFrame> Skipped { get; } = [];

    /// <summary>Completes with the server's close status when the socket closes.</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public Task SendAsync(ClientFrame frame) =>
        Socket.SendAsync(frame.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);

    public Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        Socket.SendAsync(bytes, type, true, CancellationToken.None).WaitAsync(Timeout);

    public static byte[] NewId() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);

    public Task SendEnvelopeAsync(string recipient, byte[] id, byte[] ciphertext, EnvelopeType type = EnvelopeType.RatchetMessage) => SendAsync(new ClientFrame
    {
        Send = new Send
        {
            MessageId = ByteString.CopyFrom(id),
            Recipient = recipient,
            Type = type,
            Ciphertext = ByteString.CopyFrom(ciphertext),
        },
    });

    public Task AckAsync(ByteString id) => SendAsync(new ClientFrame { Ack = new Ack { MessageId = id } });

    /// <summary>The next frame matching <paramref name="match"/>; frames before it go to <see cref="Skipped"/>.</summary>
    public async Task<ServerFrame> NextAsync(Func<ServerFrame, bool> match)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var frame = await _frames.Reader.ReadAsync(timeout.Token);
            if (match(frame))
            {
                return frame;
            }

            Skipped.Add(frame);
        }
    }

    public Task<ServerFrame> NextAsync(ServerFrame.KindOneofCase kind) => NextAsync(f => f.KindCase == kind);

    /// <summary>The result for one message id.</summary>
    public async Task<SendResult> ResultAsync(byte[] id) =>
        (await NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.SendResult && f.SendResult.MessageId.Span.SequenceEqual(id))).SendResult;

    /// <summary>Round trip: every frame the server queued before the Ping has been received afterwards.</summary>
    public async Task SyncAsync()
    {
        var nonce = ++_nonce;
        await SendAsync(new ClientFrame { Ping = new Ping { Nonce = nonce } });
        await NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.Pong && f.Pong.Nonce == nonce);
    }

    /// <summary>Frames received so far and not yet taken (non-blocking).</summary>
    public List<ServerFrame> Drain()
    {
        var frames = new List<ServerFrame>();
        while (_frames.Reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Timeout);
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                Socket.Abort();
            }
        }

        await Task.WhenAny(_receive, Task.Delay(Timeout));
        Socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(Socket.CloseStatus);
                        _frames.Writer.TryComplete();
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);
                _frames.Writer.TryWrite(ServerFrame.Parser.ParseFrom(buffer, 0, length));
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(Socket.CloseStatus);
            _frames.Writer.TryComplete();
        }
    }
}
