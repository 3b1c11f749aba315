using System.Collections.Concurrent;
using System.Net.WebSockets;
using Parley.Server.Relay;
using Parley.Wire;

namespace Parley.Server.Tests.Relay.Properties;

/// <summary>
/// The per-socket outbound queue has no loop of its own: a pump runs only while frames wait. Frames
/// still leave one at a time in the order they were queued, nothing queued before Complete is lost,
/// nothing after it is sent, and Drained tells the session when the send side is done.
/// </summary>
public sealed class OutboundQueueProperties
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static ServerFrame Frame(ulong n) => new() { Pong = new Pong { Nonce = n } };

    [Fact]
    public async Task Frames_from_concurrent_producers_leave_one_at_a_time_in_each_producers_order()
    {
        const int producers = 8;
        const int perProducer = 2_000;
        var sent = new ConcurrentQueue<ulong>();
        var inSend = 0;
        var overlapped = false;
        var queue = new OutboundQueue<ServerFrame>(async (frame, _) =>
        {
            overlapped |= Interlocked.Increment(ref inSend) > 1;
            if (frame.Pong.Nonce % 7 == 0)
            {
                await Task.Yield(); // some sends complete asynchronously, as a busy socket's do
            }

            sent.Enqueue(frame.Pong.Nonce);
            Interlocked.Decrement(ref inSend);
        });

        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                Assert.True(queue.TryEnqueue(Frame(((ulong)p * 1_000_000) + (ulong)i)));
            }
        }))).WaitAsync(Timeout);
        queue.Complete();
        await queue.Drained.WaitAsync(Timeout);

        Assert.False(overlapped, "two sends ran at once");
        var all = sent.ToArray();
        Assert.Equal(producers * perProducer, all.Length);
        for (var p = 0; p < producers; p++)
        {
            var mine = all.Where(n => n / 1_000_000 == (ulong)p).ToArray();
            Assert.Equal(Enumerable.Range(0, perProducer).Select(i => ((ulong)p * 1_000_000) + (ulong)i), mine);
        }
    }

    [Fact]
    public async Task Complete_on_an_idle_queue_is_drained_at_once_and_refuses_later_frames()
    {
        var sent = 0;
        var queue = new OutboundQueue<ServerFrame>((_, _) =>
        {
            Interlocked.Increment(ref sent);
            return ValueTask.CompletedTask;
        });
        queue.Complete();

        Assert.True(queue.Drained.IsCompletedSuccessfully);
        Assert.False(queue.TryEnqueue(Frame(1)));
        await Task.Yield();
        Assert.Equal(0, sent);
    }

    [Fact]
    public async Task Frames_queued_before_Complete_are_all_sent_before_Drained_completes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new ConcurrentQueue<ulong>();
        var more = new ConcurrentQueue<bool>();
        var queue = new OutboundQueue<ServerFrame>(async (frame, follows) =>
        {
            await release.Task;
            sent.Enqueue(frame.Pong.Nonce);
            more.Enqueue(follows);
        });
        for (ulong i = 0; i < 10; i++)
        {
            queue.TryEnqueue(Frame(i));
        }

        queue.Complete();
        var drained = queue.Drained;
        Assert.False(drained.IsCompleted);
        release.SetResult();
        await drained.WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)i), sent);

        // The sender is told which frames have more behind them (it flushes only at the last); the first
        // may have been taken before the others were queued.
        Assert.Equal([true, true, true, true, true, true, true, true, false], more.Skip(1));
    }

    [Fact]
    public async Task A_socket_that_fails_drops_the_rest_and_drains_without_a_fault()
    {
        var attempts = 0;
        var queue = new OutboundQueue<ServerFrame>((_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        });
        queue.TryEnqueue(Frame(1));
        queue.TryEnqueue(Frame(2));
        await queue.Drained.WaitAsync(Timeout);

        Assert.Equal(1, attempts);
        Assert.False(queue.TryEnqueue(Frame(3)));
    }

    [Fact]
    public async Task An_unexpected_failure_faults_Drained_instead_of_vanishing()
    {
        var queue = new OutboundQueue<ServerFrame>((_, _) => throw new InvalidOperationException("bug"));
        queue.TryEnqueue(Frame(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.Drained.WaitAsync(Timeout));
    }
}
