using System.Net;
using System.Net.WebSockets;
using Google.Protobuf;
using Parley.Client.Errors;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client.Tests.Relay;

/// <summary>The client's frame reader against a real WebSocket server on 127.0.0.1 that sends what a hostile relay might.</summary>
public sealed class RelayConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_frame_at_the_size_limit_is_read_and_one_byte_more_is_refused_before_parsing()
    {
        var atLimit = FrameOfSize(RelayConnection.MaxFrameSize);
        Assert.Equal(RelayConnection.MaxFrameSize, atLimit.Length);
        var frame = await ReadOneAsync(atLimit, WebSocketMessageType.Binary);
        Assert.Equal(ServerFrame.KindOneofCase.Deliver, frame.KindCase);

        var e = await Assert.ThrowsAsync<ParleyClientException>(() => ReadOneAsync(FrameOfSize(RelayConnection.MaxFrameSize + 1), WebSocketMessageType.Binary));
        Assert.Equal(ClientErrorKind.ProtocolViolation, e.Kind);
    }

    [Fact]
    public async Task Garbage_and_text_frames_are_protocol_violations()
    {
        var garbage = await Assert.ThrowsAsync<ParleyClientException>(() => ReadOneAsync([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], WebSocketMessageType.Binary));
        Assert.Equal(ClientErrorKind.ProtocolViolation, garbage.Kind);
        var text = await Assert.ThrowsAsync<ParleyClientException>(() => ReadOneAsync("{}"u8.ToArray(), WebSocketMessageType.Text));
        Assert.Equal(ClientErrorKind.ProtocolViolation, text.Kind);
    }

    private static byte[] FrameOfSize(int size)
    {
        // A Deliver with a ciphertext a little short of the target, then the sender name pads it to exactly `size` bytes.
        var ciphertext = ByteString.CopyFrom(new byte[size - 40]);
        var baseLength = new ServerFrame { Deliver = new Deliver { Sender = "b", Ciphertext = ciphertext } }.CalculateSize();
        var sender = "b" + new string('x', size - baseLength);
        var frame = new ServerFrame { Deliver = new Deliver { Sender = sender, Ciphertext = ciphertext } }.ToByteArray();
        return frame.Length == size ? frame : throw new InvalidOperationException("Frame size arithmetic is off.");
    }

    private static async Task<ServerFrame> ReadOneAsync(byte[] bytes, WebSocketMessageType type)
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var ws = (await context.AcceptWebSocketAsync(null)).WebSocket;
            await ws.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
            return ws;
        });

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), CancellationToken.None).WaitAsync(Timeout);
        await using var connection = new RelayConnection(client);
        try
        {
            return (await connection.ReceiveAsync(CancellationToken.None).WaitAsync(Timeout))!;
        }
        finally
        {
            (await serve.WaitAsync(Timeout)).Abort();
        }
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
