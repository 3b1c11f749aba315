using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Parley.Client.Errors;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client.Tests.Relay;

/// <summary>
/// A scriptable relay on 127.0.0.1 for link tests: every connect makes a real TCP connection with a
/// WebSocket on each end; the test holds the server end. It can refuse connections like a server that is down.
/// </summary>
internal sealed class LoopbackRelay : IRelayConnector, IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<ServerEnd> _accepted = Channel.CreateUnbounded<ServerEnd>();
    private int _attempts;

    public LoopbackRelay() => _listener.Start();

    /// <summary>When set, connecting fails like an unreachable server (or with <see cref="RefuseWith"/>).</summary>
    public bool Refuse { get; set; }

    /// <summary>The failure a refused connection reports.</summary>
    public ClientErrorKind RefuseWith { get; set; } = ClientErrorKind.ServerUnreachable;

    public int Attempts => Volatile.Read(ref _attempts);

    public async Task<RelayConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (Refuse)
        {
            throw new ParleyClientException(RefuseWith);
        }

        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)_listener.LocalEndpoint, cancellationToken);
        var server = await _listener.AcceptSocketAsync(cancellationToken);
        var options = new WebSocketCreationOptions { KeepAliveInterval = System.Threading.Timeout.InfiniteTimeSpan };
        var serverSocket = WebSocket.CreateFromStream(new NetworkStream(server, ownsSocket: true), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = options.KeepAliveInterval });
        await _accepted.Writer.WriteAsync(new ServerEnd(serverSocket), cancellationToken);
        return new RelayConnection(WebSocket.CreateFromStream(new NetworkStream(client, ownsSocket: true), options));
    }

    /// <summary>The server end of the next connection.</summary>
    public async Task<ServerEnd> AcceptAsync() => await _accepted.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    public void Dispose() => _listener.Dispose();

    /// <summary>The relay's side of one connection.</summary>
    internal sealed class ServerEnd(WebSocket socket) : IDisposable
    {
        public Task SendAsync(ServerFrame frame) =>
            socket.SendAsync(frame.ToByteArray(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);

        /// <summary>The next frame other than the client's opening Capabilities.</summary>
        public async Task<ClientFrame> ReceiveAsync()
        {
            while (true)
            {
                var frame = await ReceiveAnyAsync();
                if (frame.KindCase != ClientFrame.KindOneofCase.Capabilities)
                {
                    return frame;
                }
            }
        }

        public async Task<ClientFrame> ReceiveAnyAsync()
        {
            var buffer = new byte[64 * 1024];
            var length = 0;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask().WaitAsync(Timeout);
                length += result.Count;
                if (result.EndOfMessage)
                {
                    return ClientFrame.Parser.ParseFrom(buffer, 0, length);
                }
            }
        }

        /// <summary>Drops the connection without a close handshake, like a crashed server or a dead network.</summary>
        public void Kill() => socket.Abort();

        public void Dispose() => socket.Dispose();
    }
}
