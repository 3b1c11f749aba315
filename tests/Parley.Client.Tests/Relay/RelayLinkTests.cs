using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using Parley.Client.Errors;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client.Tests.Relay;

/// <summary>
/// The relay link against a scripted loopback relay, on a fake clock: one-shot and persistent use,
/// reconnection with backoff after a dropped socket or a refused connection, verdicts, in-order
/// delivery to the handler, acknowledgements and presence queries.
/// </summary>
public sealed class RelayLinkTests : IDisposable
{
    private static readonly TimeSpan Timeout = LoopbackRelay.Timeout;
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(8);

    private readonly LoopbackRelay _relay = new();
    private readonly SignallingClock _clock = new();
    private readonly RecordingHandler _handler = new();

    public void Dispose() => _relay.Dispose();

    [Fact]
    public async Task A_one_shot_link_connects_once_runs_the_connect_step_and_does_not_come_back_after_a_drop()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        Assert.Equal(RelayLinkState.Connected, link.State);
        Assert.Equal(1, _handler.Connects);

        server.Kill();
        await link.Disconnected.WaitAsync(Timeout);
        await WaitForStateAsync(link, RelayLinkState.Disconnected);
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, _relay.Attempts);
        var e = await Assert.ThrowsAsync<ParleyClientException>(() => link.SendAsync(NewSend(), CancellationToken.None));
        Assert.Equal(ClientErrorKind.ServerUnreachable, e.Kind);
    }

    [Fact]
    public async Task A_persistent_link_reconnects_after_the_backoff_and_not_before_and_flushes_again()
    {
        await using var link = NewLink();
        link.Start();
        using (var first = await _relay.AcceptAsync())
        {
            await _handler.ConnectedAsync(1);
            first.Kill();
        }

        var wait = await _clock.NextTimerAsync();
        Assert.Equal(First, wait); // first failure: ceiling 1 s, jitter pinned to the top
        _clock.Advance(wait - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _relay.Attempts);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        using var second = await _relay.AcceptAsync();
        await _handler.ConnectedAsync(2);
        await WaitForStateAsync(link, RelayLinkState.Connected);
        Assert.Equal(0, link.Backoff.Failures);
    }

    [Fact]
    public async Task Starting_a_connected_link_adopts_its_socket_instead_of_reconnecting()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var first = await _relay.AcceptAsync();
        link.Start();

        // The adopted socket still carries sends and deliveries; no second connection was made.
        var send = NewSend();
        var verdict = link.SendAsync(send, CancellationToken.None);
        Assert.Equal(send.MessageId, (await first.ReceiveAsync()).Send.MessageId);
        await first.SendAsync(new ServerFrame { SendResult = new SendResult { MessageId = send.MessageId, Status = SendStatus.Accepted } });
        Assert.Equal(SendStatus.Accepted, (await verdict.WaitAsync(Timeout)).Status);
        await first.SendAsync(new ServerFrame { Deliver = new Deliver { MessageId = Id(1), Sender = "bob" } });
        Assert.Equal(Id(1), (await _handler.FramesAsync(1))[0].Deliver.MessageId);
        Assert.Equal(1, _relay.Attempts);
        Assert.Equal(1, _handler.Connects);
        Assert.Equal(RelayLinkState.Connected, link.State);

        // And the link is persistent now: a drop of the adopted socket is followed by a reconnect.
        first.Kill();
        _clock.Advance(await _clock.NextTimerAsync());
        using var second = await _relay.AcceptAsync();
        await _handler.ConnectedAsync(2);
        Assert.Equal(2, _relay.Attempts);

        // Disposing a started link while its socket is open returns at once (the chat's /quit hung here).
        await link.DisposeAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(RelayLinkState.Closed, link.State);
    }

    [Fact]
    public async Task While_the_server_is_down_waits_double_up_to_the_cap_then_the_link_comes_back()
    {
        await using var link = NewLink();
        _relay.Refuse = true;
        link.Start();
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var wait = await _clock.NextTimerAsync();
            waits.Add(wait);
            _clock.Advance(wait);
        }

        Assert.Equal([1, 2, 4, 8, 8, 8], waits.Select(w => w.TotalSeconds));
        var seventh = await _clock.NextTimerAsync(); // the seventh attempt failed too
        Assert.Equal(RelayLinkState.Disconnected, link.State);

        _relay.Refuse = false;
        _clock.Advance(seventh);
        using var server = await _relay.AcceptAsync();
        await _handler.ConnectedAsync(1);
        Assert.Equal(8, _relay.Attempts);
    }

    [Theory]
    [InlineData(ClientErrorKind.IdentityReplaced)]
    [InlineData(ClientErrorKind.NotLoggedIn)]
    public async Task A_failure_retrying_cannot_fix_stops_the_link_and_every_caller_learns_it(ClientErrorKind kind)
    {
        await using var link = NewLink();
        _relay.Refuse = true;
        _relay.RefuseWith = kind;
        var stopped = new TaskCompletionSource<ClientErrorKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        link.Stopped += e => stopped.TrySetResult(e.Kind);

        link.Start();
        Assert.Equal(kind, await stopped.Task.WaitAsync(Timeout)); // the client turns this into an event for its owner
        var e = await Assert.ThrowsAsync<ParleyClientException>(() => link.ConnectAsync(CancellationToken.None));
        Assert.Equal(kind, e.Kind); // not "the server cannot be reached", which would say "queued" to a sender
        Assert.Equal(1, _relay.Attempts);
        Assert.Equal(RelayLinkState.Disconnected, link.State);
    }

    [Fact]
    public async Task Frames_reach_the_handler_in_order_and_a_send_gets_its_own_verdict()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        for (var i = 0; i < 5; i++)
        {
            await server.SendAsync(new ServerFrame { Deliver = new Deliver { MessageId = Id(i), Sender = "bob" } });
        }

        var send = NewSend();
        var verdict = link.SendAsync(send, CancellationToken.None);
        var sent = await server.ReceiveAsync();
        Assert.Equal(send.MessageId, sent.Send.MessageId);
        await server.SendAsync(new ServerFrame { SendResult = new SendResult { MessageId = Id(99), Status = SendStatus.Accepted } }); // someone else's
        await server.SendAsync(new ServerFrame { SendResult = new SendResult { MessageId = send.MessageId, Status = SendStatus.QueueFull } });
        Assert.Equal(SendStatus.QueueFull, (await verdict.WaitAsync(Timeout)).Status);

        var delivered = await _handler.FramesAsync(5);
        Assert.Equal(Enumerable.Range(0, 5).Select(Id), delivered.Select(f => f.Deliver.MessageId));
    }

    [Fact]
    public async Task Deliveries_waiting_behind_a_busy_handler_reach_it_together_up_to_the_batch_limit_and_verdicts_do_not_wait()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _handler.Gate = gate;
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        var total = 1 + LinkLimits.MaxDeliveriesPerBatch + 1;
        await server.SendAsync(new ServerFrame { Deliver = new Deliver { MessageId = Id(0), Sender = "bob" } });
        await _handler.Busy.Task.WaitAsync(Timeout);
        for (var i = 1; i < total; i++)
        {
            await server.SendAsync(new ServerFrame { Deliver = new Deliver { MessageId = Id(i), Sender = "bob" } });
        }

        await server.SendAsync(new ServerFrame { QueueEmpty = new QueueEmpty() });

        // The handler is still busy with the first delivery, yet a verdict sent after everything else
        // arrives: the link read on, so every delivery above is already waiting for the handler.
        var send = NewSend();
        var verdict = link.SendAsync(send, CancellationToken.None);
        Assert.Equal(send.MessageId, (await server.ReceiveAsync()).Send.MessageId);
        await server.SendAsync(new ServerFrame { SendResult = new SendResult { MessageId = send.MessageId, Status = SendStatus.Accepted } });
        Assert.Equal(SendStatus.Accepted, (await verdict.WaitAsync(Timeout)).Status);
        Assert.False(link.WhenDrainedAsync(TimeSpan.Zero, CancellationToken.None).IsCompletedSuccessfully);

        gate.SetResult();
        var frames = await _handler.FramesAsync(total + 1);
        Assert.Equal(Enumerable.Range(0, total).Select(Id), frames.Take(total).Select(f => f.Deliver.MessageId));
        Assert.Equal(ServerFrame.KindOneofCase.QueueEmpty, frames[^1].KindCase);
        Assert.Equal([1, LinkLimits.MaxDeliveriesPerBatch, 1], _handler.Batches); // at the limit, then the one past it
    }

    [Fact]
    public async Task Several_acks_go_out_as_one_batch_and_a_malformed_id_alone()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        var odd = ByteString.CopyFrom(1, 2, 3);
        await link.AckManyAsync([Id(1), odd, Id(2)], CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(odd, (await server.ReceiveAsync()).Ack.MessageId);
        Assert.Equal(Id(1).Concat(Id(2)), (await server.ReceiveAsync()).AckBatch.MessageIds);
        await link.AckManyAsync([Id(3)], CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(Id(3), (await server.ReceiveAsync()).Ack.MessageId);
    }

    [Fact]
    public async Task The_link_asks_for_batched_verdicts_and_understands_them()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        Assert.True((await server.ReceiveAnyAsync()).Capabilities.SendResultBatch);

        var sends = Enumerable.Range(0, 3).Select(_ => NewSend()).ToList();
        var verdicts = sends.Select(s => link.SendAsync(s, CancellationToken.None)).ToList();
        for (var i = 0; i < sends.Count; i++)
        {
            await server.ReceiveAsync();
        }

        var batch = new SendResultBatch { AcceptedIds = ByteString.CopyFrom(sends[0].MessageId.Concat(sends[2].MessageId).ToArray()) };
        batch.Others.Add(new SendResult { MessageId = sends[1].MessageId, Status = SendStatus.RateLimited, RetryAfterMs = 5 });
        await server.SendAsync(new ServerFrame { SendResultBatch = batch });
        var statuses = (await Task.WhenAll(verdicts).WaitAsync(Timeout)).Select(r => r.Status);
        Assert.Equal([SendStatus.Accepted, SendStatus.RateLimited, SendStatus.Accepted], statuses);
    }

    [Fact]
    public async Task Acks_go_out_by_id_and_a_presence_query_collects_answers_until_done()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        await link.AckAsync(Id(7), CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(Id(7), (await server.ReceiveAsync()).Ack.MessageId);

        var query = link.QueryPresenceAsync(["alice", "carol"], CancellationToken.None);
        var asked = await server.ReceiveAsync();
        Assert.Equal(["alice", "carol"], asked.PresenceQuery.Usernames);
        await server.SendAsync(new ServerFrame { Presence = new Parley.Wire.Presence { Username = "alice", Online = true } });
        await server.SendAsync(new ServerFrame { Presence = new Parley.Wire.Presence { Username = "carol", Online = false } });
        await server.SendAsync(new ServerFrame { PresenceQueryDone = new PresenceQueryDone() });
        var answers = await query.WaitAsync(Timeout);
        Assert.Equal([("alice", true), ("carol", false)], answers.Select(p => (p.Username, p.Online)));
    }

    [Fact]
    public async Task Waiting_senders_fail_fast_when_the_socket_dies_instead_of_hanging()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        var verdict = link.SendAsync(NewSend(), CancellationToken.None);
        await server.ReceiveAsync();
        server.Kill();
        var e = await Assert.ThrowsAsync<ParleyClientException>(() => verdict.WaitAsync(Timeout));
        Assert.Equal(ClientErrorKind.ServerUnreachable, e.Kind);
    }

    [Fact]
    public async Task Queue_empty_runs_the_drained_step_once()
    {
        await using var link = NewLink();
        await link.ConnectAsync(CancellationToken.None).WaitAsync(Timeout);
        using var server = await _relay.AcceptAsync();
        await server.SendAsync(new ServerFrame { QueueEmpty = new QueueEmpty() });
        await link.WhenDrainedAsync(Timeout, CancellationToken.None);
        await _handler.DrainedAsync.WaitAsync(Timeout);
    }

    private RelayLink NewLink() =>
        new(_relay, _handler, Timeout, new ReconnectBackoff(First, Max, bound => bound - 1), _clock);

    private static ByteString Id(int i)
    {
        var bytes = new byte[16];
        bytes[15] = (byte)i;
        return ByteString.CopyFrom(bytes);
    }

    private static Send NewSend() => new() { MessageId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()), Recipient = "bob", Type = EnvelopeType.RatchetMessage };

    private static async Task WaitForStateAsync(RelayLink link, RelayLinkState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(RelayLinkState s)
        {
            if (s == state)
            {
                reached.TrySetResult();
            }
        }

        link.StateChanged += OnChange;
        try
        {
            if (link.State != state)
            {
                await reached.Task.WaitAsync(Timeout);
            }
        }
        finally
        {
            link.StateChanged -= OnChange;
        }
    }

    /// <summary>A fake clock that tells the test when someone starts waiting on it, and for how long.</summary>
    private sealed class SignallingClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

        public async Task<TimeSpan> NextTimerAsync() => await _timers.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(dueTime);
            return timer;
        }
    }

    /// <summary>Records what the link hands over.</summary>
    private sealed class RecordingHandler : IRelayHandler
    {
        private readonly Channel<ServerFrame> _frames = Channel.CreateUnbounded<ServerFrame>();
        private readonly Channel<int> _connects = Channel.CreateUnbounded<int>();
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _connectCount;

        public int Connects => Volatile.Read(ref _connectCount);

        public Task DrainedAsync => _drained.Task;

        public Task OnFrameAsync(RelayLink link, ServerFrame frame, CancellationToken cancellationToken)
        {
            _frames.Writer.TryWrite(frame);
            return Task.CompletedTask;
        }

        /// <summary>The size of every batch of deliveries handed over, in order.</summary>
        public ConcurrentQueue<int> Batches { get; } = new();

        /// <summary>When set, the first batch waits for it (the handler is busy storing).</summary>
        public TaskCompletionSource? Gate { get; set; }

        /// <summary>Completes when the first batch is waiting at the gate.</summary>
        public TaskCompletionSource Busy { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task OnDeliveriesAsync(RelayLink link, IReadOnlyList<Deliver> deliveries, CancellationToken cancellationToken)
        {
            Batches.Enqueue(deliveries.Count);
            if (Gate is { } gate)
            {
                Gate = null;
                Busy.TrySetResult();
                await gate.Task.WaitAsync(Timeout, cancellationToken);
            }

            foreach (var deliver in deliveries)
            {
                _frames.Writer.TryWrite(new ServerFrame { Deliver = deliver });
            }
        }

        public Task OnConnectedAsync(RelayLink link, CancellationToken cancellationToken)
        {
            _connects.Writer.TryWrite(Interlocked.Increment(ref _connectCount));
            return Task.CompletedTask;
        }

        public Task OnDrainedAsync(RelayLink link, CancellationToken cancellationToken)
        {
            _drained.TrySetResult();
            return Task.CompletedTask;
        }

        public async Task ConnectedAsync(int count)
        {
            while (await _connects.Reader.ReadAsync().AsTask().WaitAsync(Timeout) < count)
            {
            }
        }

        public async Task<List<ServerFrame>> FramesAsync(int count)
        {
            var list = new List<ServerFrame>();
            while (list.Count < count)
            {
                list.Add(await _frames.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
            }

            return list;
        }
    }
}
