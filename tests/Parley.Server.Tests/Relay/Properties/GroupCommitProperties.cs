using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Metrics;
using Parley.Server.Relay;
using Parley.Server.Relay.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire;

namespace Parley.Server.Tests.Relay.Properties;

/// <summary>
/// The group-commit writer over the real SQLite store: many sends become one transaction, nobody hears
/// ACCEPTED before that transaction committed, and a message acknowledged before its batch commits
/// never reaches the disk. The writer is held busy deterministically with a maintenance step.
/// </summary>
public sealed class GroupCommitProperties : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();
    private CountingStore _store = null!;
    private GroupCommitWriter _writer = null!;

    [Fact]
    public async Task Sends_waiting_behind_a_busy_writer_commit_as_one_batch_and_are_accepted_only_after_it()
    {
        var gate = await HoldWriterAsync();
        var completions = new ConcurrentBag<(SendStatus Status, int CommitsAtCompletion)>();
        var recorder = new Recorder(status => completions.Add((status, _store.Commits)));
        for (var i = 0; i < 100; i++)
        {
            _writer.Submit(Message(recipient: 1 + (i % 7), sender: 100 + (i % 5)), recorder);
        }

        Assert.Empty(completions);
        gate.SetResult();
        await _writer.BarrierAsync().WaitAsync(Timeout);
        Assert.Equal(100, completions.Count);
        Assert.All(completions, c => Assert.Equal(SendStatus.Accepted, c.Status));
        Assert.All(completions, c => Assert.Equal(1, c.CommitsAtCompletion));
        Assert.Equal([100], _store.InsertsPerCommit);
    }

    [Fact]
    public async Task A_message_acknowledged_before_its_batch_commits_never_touches_the_disk()
    {
        var gate = await HoldWriterAsync();
        var statuses = new ConcurrentBag<SendStatus>();
        var recorder = new Recorder(statuses.Add);
        var early = Message(recipient: 1, sender: 2);
        var late = Message(recipient: 1, sender: 2);
        _writer.Submit(early, recorder);
        _writer.Submit(late, recorder);
        _writer.Acknowledge(new QueueDelete(1, early.Key));
        gate.SetResult();
        await _writer.BarrierAsync().WaitAsync(Timeout);

        Assert.Equal([SendStatus.Accepted, SendStatus.Accepted], statuses);
        Assert.Equal([1], _store.InsertsPerCommit);
        var stored = await _store.ReadAsync(1, 0, 10, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(late.Id, Assert.Single(stored).Id);
    }

    [Fact]
    public async Task A_repeated_id_in_flight_is_a_duplicate_and_stored_once()
    {
        var gate = await HoldWriterAsync();
        var statuses = new ConcurrentBag<SendStatus>();
        var recorder = new Recorder(statuses.Add);
        var first = Message(recipient: 1, sender: 2);
        _writer.Submit(first, recorder);
        _writer.Submit(new QueuedMessage(1, 2, "s", first.Id, QueuedKind.Envelope, 2, [1], 0), recorder);
        gate.SetResult();
        await _writer.BarrierAsync().WaitAsync(Timeout);
        Assert.Equal(1, statuses.Count(s => s == SendStatus.Accepted));
        Assert.Equal(1, statuses.Count(s => s == SendStatus.DuplicateAccepted));
        Assert.Single(await _store.ReadAsync(1, 0, 10, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_live_message_is_held_out_of_one_commit_and_written_by_the_next_if_not_acknowledged()
    {
        var gate = await HoldWriterAsync();
        var live = Message(recipient: 1, sender: 2);
        live.PushedLive = true;
        var offline = Message(recipient: 3, sender: 2);
        var liveDone = new TaskCompletionSource<(SendStatus, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var offlineDone = new TaskCompletionSource<(SendStatus, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writer.Submit(live, new Recorder(status => liveDone.SetResult((status, _store.Commits))));
        _writer.Submit(offline, new Recorder(status => offlineDone.SetResult((status, _store.Commits))));
        gate.SetResult();

        Assert.Equal((SendStatus.Accepted, 1), await offlineDone.Task.WaitAsync(Timeout));
        Assert.Equal((SendStatus.Accepted, 2), await liveDone.Task.WaitAsync(Timeout));
        Assert.Equal([1, 1], _store.InsertsPerCommit);
        Assert.Single(await _store.ReadAsync(1, 0, 10, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_live_message_is_not_held_out_behind_a_later_message_to_the_same_recipient_written_now()
    {
        // Regression (seen as "sender order within a connection" in DeliveryProperties): the first
        // message was pushed live, the recipient then went away and the second was not; holding the
        // first out wrote the second first, and a reconnecting recipient drained them swapped.
        var gate = await HoldWriterAsync();
        var first = Message(recipient: 1, sender: 2);
        first.PushedLive = true;
        var second = Message(recipient: 1, sender: 2);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writer.Submit(first, new Recorder(_ => { }));
        _writer.Submit(second, new Recorder(_ => done.SetResult()));
        gate.SetResult();
        await done.Task.WaitAsync(Timeout);
        await _writer.BarrierAsync().WaitAsync(Timeout);

        var drained = await _store.ReadAsync(1, 0, 10, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal([first.Key, second.Key], drained.Select(m => m.Key));
    }

    [Fact]
    public async Task A_live_message_acknowledged_while_held_out_never_touches_the_disk()
    {
        // A window long enough that only the acknowledgement can end the hold.
        await RestartWriterAsync(new RelayOptions { GroupCommitWindow = TimeSpan.FromMinutes(5) });
        var gate = await HoldWriterAsync();
        var live = Message(recipient: 1, sender: 2);
        live.PushedLive = true;
        var liveDone = new TaskCompletionSource<SendStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var offlineDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writer.Submit(live, new Recorder(liveDone.SetResult));
        _writer.Submit(Message(recipient: 3, sender: 2), new Recorder(_ => offlineDone.SetResult()));
        gate.SetResult();
        await offlineDone.Task.WaitAsync(Timeout);
        Assert.False(liveDone.Task.IsCompleted);

        _writer.Acknowledge(new QueueDelete(1, live.Key));
        Assert.Equal(SendStatus.Accepted, await liveDone.Task.WaitAsync(Timeout));
        Assert.Equal([1], _store.InsertsPerCommit);
        Assert.Empty(await _store.ReadAsync(1, 0, 10, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task An_acknowledgement_is_read_before_held_out_messages_fill_a_batch()
    {
        // Held-out messages that alone fill a batch must not crowd out the acknowledgements that
        // arrived for them: those are read first, and the messages never reach the disk.
        await RestartWriterAsync(new RelayOptions { GroupCommitWindow = TimeSpan.FromMinutes(5), MaxBatchSize = 1 });
        var gate = await HoldWriterAsync();
        var live = Message(recipient: 1, sender: 2);
        live.PushedLive = true;
        var offline = Message(recipient: 3, sender: 2);
        var liveDone = new TaskCompletionSource<SendStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var offlineDone = new TaskCompletionSource<SendStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writer.Submit(live, new Recorder(liveDone.SetResult));
        _writer.Acknowledge(new QueueDelete(1, live.Key));
        _writer.Submit(offline, new Recorder(offlineDone.SetResult));
        gate.SetResult();

        Assert.Equal(SendStatus.Accepted, await liveDone.Task.WaitAsync(Timeout));
        Assert.Equal(SendStatus.Accepted, await offlineDone.Task.WaitAsync(Timeout));
        await _writer.BarrierAsync().WaitAsync(Timeout);
        Assert.Equal([1], _store.InsertsPerCommit); // the offline message only
        Assert.Empty(await _store.ReadAsync(1, 0, 10, CancellationToken.None).WaitAsync(Timeout));
    }

    public async Task InitializeAsync()
    {
        var database = TestDatabases.Sqlite(_directory);
        await TestDatabases.MigrateAsync(database, [new RelayMigrations()]);
        _store = new CountingStore(new SqlMessageQueueStore(database));
        var depths = new QueueDepths();
        _writer = new GroupCommitWriter(_store, depths, new RelayMetrics(depths, new ParleyMetrics()),
            Options.Create(new RelayOptions()), TimeProvider.System, NullLogger<GroupCommitWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None).WaitAsync(Timeout);
    }

    [Fact]
    public async Task One_batch_frames_acknowledgements_delete_stored_messages_and_drop_pending_ones()
    {
        // An AckBatch reaches the writer as one unit of work: a stored message in it is deleted and a
        // message still waiting for its commit is dropped, exactly as with one acknowledgement each.
        var statuses = new ConcurrentBag<SendStatus>();
        var recorder = new Recorder(statuses.Add);
        var stored = Message(recipient: 1, sender: 2);
        _writer.Submit(stored, recorder);
        await _writer.BarrierAsync().WaitAsync(Timeout);
        var gate = await HoldWriterAsync();
        var pending = Message(recipient: 1, sender: 2);
        var kept = Message(recipient: 1, sender: 2);
        _writer.Submit(pending, recorder);
        _writer.Submit(kept, recorder);
        _writer.Acknowledge([new QueueDelete(1, stored.Key), new QueueDelete(1, pending.Key)]);
        _writer.Acknowledge(new List<QueueDelete>()); // an AckBatch of ids this connection never delivered: nothing queued
        gate.SetResult();
        await _writer.BarrierAsync().WaitAsync(Timeout);

        Assert.Equal([SendStatus.Accepted, SendStatus.Accepted, SendStatus.Accepted], statuses);
        Assert.Equal([1, 1], _store.InsertsPerCommit); // stored, then kept: pending never reached the disk
        var left = await _store.ReadAsync(1, 0, 10, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal([kept.Id], left.Select(m => m.Id));
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        _directory.Dispose();
    }

    private async Task RestartWriterAsync(RelayOptions options)
    {
        await _writer.DisposeAsync();
        var depths = new QueueDepths();
        _writer = new GroupCommitWriter(_store, depths, new RelayMetrics(depths, new ParleyMetrics()),
            Options.Create(options), TimeProvider.System, NullLogger<GroupCommitWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None).WaitAsync(Timeout);
    }

    /// <summary>Occupies the writer until the returned source is completed.</summary>
    private async Task<TaskCompletionSource> HoldWriterAsync()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = _writer.MaintainAsync(async (_, ct) =>
        {
            entered.SetResult();
            await gate.Task.WaitAsync(Timeout, ct);
        });
        await entered.Task.WaitAsync(Timeout);
        return gate;
    }

    private static QueuedMessage Message(long recipient, long sender) =>
        new(recipient, sender, "s" + sender, MessageId.NewRandom(), QueuedKind.Envelope, 2, [1, 2, 3], 0);

    private sealed class Recorder(Action<SendStatus> record) : ISendCompletion
    {
        public void Complete(QueuedMessage message, SendStatus status) => record(status);
    }

    /// <summary>The real store, counting what reaches it.</summary>
    private sealed class CountingStore(IMessageQueueStore inner) : IMessageQueueStore
    {
        public ConcurrentQueue<int> InsertsPerCommitQueue { get; } = new();

        public int[] InsertsPerCommit => InsertsPerCommitQueue.Where(n => n > 0).ToArray();

        public int Commits => InsertsPerCommitQueue.Count;

        public async Task CommitAsync(QueueBatch batch, CancellationToken cancellationToken)
        {
            await inner.CommitAsync(batch, cancellationToken);
            InsertsPerCommitQueue.Enqueue(batch.Inserts.Count);
        }

        public Task<IReadOnlyDictionary<long, int>> CountByRecipientAsync(CancellationToken cancellationToken) => inner.CountByRecipientAsync(cancellationToken);

        public Task<IReadOnlyList<QueuedMessage>> ReadAsync(long recipientId, long afterSequence, int limit, CancellationToken cancellationToken) =>
            inner.ReadAsync(recipientId, afterSequence, limit, cancellationToken);

        public Task<IReadOnlyList<IReadOnlyList<QueuedMessage>>> ReadManyAsync(IReadOnlyList<long> recipientIds, IReadOnlyList<long> afterSequences,
            int limitPerRecipient, CancellationToken cancellationToken) =>
            inner.ReadManyAsync(recipientIds, afterSequences, limitPerRecipient, cancellationToken);

        public Task<int> ExpireAsync(long createdBeforeMs, CancellationToken cancellationToken) => inner.ExpireAsync(createdBeforeMs, cancellationToken);

        public Task<int> DeleteAccountAsync(long accountId, CancellationToken cancellationToken) => inner.DeleteAccountAsync(accountId, cancellationToken);
    }
}
