using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Parley.Server.Relay;

namespace Parley.Server.Tests.Relay.Properties;

/// <summary>
/// The connection-level socket's stream: writes made while flushing is deferred wait in the pipe and
/// leave together with the next flushed write (one socket write for a run of frames); nothing written
/// is ever left behind, and a WebSocket's frames over it arrive whole and in order.
/// </summary>
public sealed class DuplexPipeStreamProperties
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deferred_writes_reach_the_socket_only_with_the_next_flushed_write_all_at_once()
    {
        var (stream, wire) = Connect();
        stream.DeferFlush = true;
        await stream.WriteAsync("ab"u8.ToArray()).AsTask().WaitAsync(Timeout);
        await stream.WriteAsync("cd"u8.ToArray()).AsTask().WaitAsync(Timeout);
        Assert.True(stream.HasUnflushed);
        Assert.False(wire.TryRead(out _), "a deferred write was sent before the run ended");

        stream.DeferFlush = false;
        await stream.WriteAsync("ef"u8.ToArray()).AsTask().WaitAsync(Timeout);
        Assert.False(stream.HasUnflushed);
        var read = await wire.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("abcdef"u8.ToArray(), read.Buffer.ToArray());
        wire.AdvanceTo(read.Buffer.End);
    }

    [Fact]
    public async Task A_run_that_ends_in_deferred_writes_is_sent_by_the_pending_flush_and_not_by_a_deferred_one()
    {
        var (stream, wire) = Connect();
        stream.DeferFlush = true;
        await stream.WriteAsync("xyz"u8.ToArray()).AsTask().WaitAsync(Timeout);
        await stream.FlushAsync().WaitAsync(Timeout);
        Assert.True(stream.HasUnflushed);
        Assert.False(wire.TryRead(out _));

        await stream.FlushPendingAsync(CancellationToken.None).AsTask().WaitAsync(Timeout);
        Assert.False(stream.HasUnflushed);
        var read = await wire.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("xyz"u8.ToArray(), read.Buffer.ToArray());
        wire.AdvanceTo(read.Buffer.End);

        // Not deferred: FlushAsync sends what is left, and with nothing left it does nothing.
        stream.DeferFlush = true;
        await stream.WriteAsync("w"u8.ToArray()).AsTask().WaitAsync(Timeout);
        stream.DeferFlush = false;
        await stream.FlushAsync().WaitAsync(Timeout);
        read = await wire.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("w"u8.ToArray(), read.Buffer.ToArray());
        wire.AdvanceTo(read.Buffer.End);
        await stream.FlushAsync().WaitAsync(Timeout);
        Assert.False(wire.TryRead(out _));
    }

    [Fact]
    public async Task WebSocket_frames_written_in_one_deferred_run_arrive_whole_and_in_order()
    {
        var (stream, wire) = Connect();
        using var server = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        stream.DeferFlush = true;
        for (byte i = 0; i < 9; i++)
        {
            await server.SendAsync(new[] { i, i }, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
            Assert.False(wire.TryRead(out _), "the WebSocket's own flush sent a frame of a deferred run");
        }

        stream.DeferFlush = false;
        await server.SendAsync(new byte[] { 9, 9 }, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);

        // Unmasked server frames of 2 bytes: 0x82 0x02 b b, ten of them in one read.
        var read = await wire.ReadAsync().AsTask().WaitAsync(Timeout);
        var expected = Enumerable.Range(0, 10).SelectMany(i => new byte[] { 0x82, 0x02, (byte)i, (byte)i }).ToArray();
        Assert.Equal(expected, read.Buffer.ToArray());
    }

    /// <summary>A stream over a pipe pair, and the reader that sees what it sends.</summary>
    private static (DuplexPipeStream Stream, PipeReader Wire) Connect()
    {
        var toPeer = new Pipe();
        var fromPeer = new Pipe();
        return (new DuplexPipeStream(new Transport(fromPeer.Reader, toPeer.Writer)), toPeer.Reader);
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
