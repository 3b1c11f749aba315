using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Cluster;
using Parley.Server.Metrics;
using Parley.Server.Relay;
using Parley.Server.Relay.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// The doorbell coalescing over a real PostgreSQL queue: the store is the real one, wrapped to count
/// the reads that reach it and to hold the first read open so that doorbells arrive "during a drain"
/// deterministically.
/// </summary>
public sealed class CatchUpSchedulerTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static long _nextAccount = Random.Shared.NextInt64(1, long.MaxValue / 4);
    private readonly List<MemoryStream> _sockets = [];
    private HoldingStore _store = null!;
    private GroupCommitWriter _writer = null!;
    private ConnectionRegistry _registry = null!;
    private CatchUpScheduler _scheduler = null!;

    [Fact]
    public async Task Many_doorbells_during_one_drain_cost_one_extra_read()
    {
        var connection = Connect(NewAccount());
        await StoreMailAsync(connection.AccountId, 3);
        var release = _store.HoldNextRead();

        _scheduler.Ring(connection, 0);
        await _store.ReadEntered.WaitAsync(Timeout);
        for (var i = 0; i < 50; i++)
        {
            _scheduler.Ring(connection, 1_000 + i);
        }

        await StoreMailAsync(connection.AccountId, 2); // committed while the first read is open
        release.SetResult();
        await _scheduler.IdleAsync().WaitAsync(Timeout);

        Assert.Equal(2, _store.Reads);
        Assert.Equal(5, connection.OutstandingCount);
    }

    [Fact]
    public async Task Doorbells_before_the_drain_starts_fold_into_it()
    {
        var busy = Connect(NewAccount());
        var connection = Connect(NewAccount());
        await StoreMailAsync(connection.AccountId, 1);
        var release = _store.HoldNextRead();
        _scheduler.Ring(busy, 0);
        await _store.ReadEntered.WaitAsync(Timeout);
        for (var i = 0; i < 20; i++)
        {
            _scheduler.Ring(connection, 500 - i);
        }

        release.SetResult();
        await _scheduler.IdleAsync().WaitAsync(Timeout);

        Assert.Equal(2, _store.Reads); // the busy one's, then one for the twenty doorbells
        Assert.Equal(1, connection.OutstandingCount);
    }

    [Theory]
    [InlineData(CatchUpScheduler.MaxAccountsPerRead, 1)]
    [InlineData(CatchUpScheduler.MaxAccountsPerRead + 1, 2)]
    public async Task Accounts_rung_in_one_tick_share_one_read_up_to_the_limit(int accounts, int expectedReads)
    {
        var busy = Connect(NewAccount());
        var connections = Enumerable.Range(0, accounts).Select(_ => Connect(NewAccount())).ToList();
        var batch = new QueueBatch();
        batch.Inserts.AddRange(connections.Select(c => Message(c.AccountId)));
        await _store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);
        var release = _store.HoldNextRead();
        _scheduler.Ring(busy, 0);
        await _store.ReadEntered.WaitAsync(Timeout);
        foreach (var connection in connections)
        {
            _scheduler.Ring(connection, 0);
        }

        release.SetResult();
        await _scheduler.IdleAsync().WaitAsync(Timeout);

        Assert.Equal(1 + expectedReads, _store.Reads);
        Assert.Equal(1 + expectedReads, _scheduler.Reads);
        Assert.Equal(1 + accounts, _scheduler.AccountsRead);
        Assert.All(connections, c => Assert.Equal(1, c.OutstandingCount));
    }

    [Fact]
    public async Task A_connection_still_in_its_first_drain_is_caught_up_once_that_ends()
    {
        var connection = Connect(NewAccount());
        await connection.DrainGate.WaitAsync(Timeout);
        await StoreMailAsync(connection.AccountId, 2);
        _scheduler.Ring(connection, 0);
        _scheduler.Ring(connection, 0);
        var idle = _scheduler.IdleAsync();
        Assert.False(idle.IsCompleted);
        Assert.Equal(0, connection.OutstandingCount);

        connection.DrainGate.Release();
        await idle.WaitAsync(Timeout);
        Assert.Equal(2, connection.OutstandingCount);
    }

    [Fact]
    public async Task A_doorbell_for_a_row_a_drain_already_read_costs_no_read()
    {
        var connection = Connect(NewAccount());
        connection.TrackAcknowledgements(); // as every cluster connection does
        var early = await StoreMailAsync(connection.AccountId, 2);
        _scheduler.Ring(connection, 0);
        await _scheduler.IdleAsync().WaitAsync(Timeout);
        Assert.Equal(1, _store.Reads);

        _scheduler.RingDoorbell(connection, early[0]); // its doorbell arrives after a drain read the rows
        await _scheduler.IdleAsync().WaitAsync(Timeout);
        Assert.Equal(1, _store.Reads);
        Assert.Equal(1, _scheduler.DoorbellsSkipped);

        var late = await StoreMailAsync(connection.AccountId, 1);
        _scheduler.RingDoorbell(connection, late[0]);
        await _scheduler.IdleAsync().WaitAsync(Timeout);
        Assert.Equal(2, _store.Reads);
        Assert.Equal(3, connection.OutstandingCount);
    }

    [Fact]
    public async Task A_row_whose_deletion_commits_while_a_drain_reads_it_is_not_sent_again()
    {
        var connection = Connect(NewAccount());
        connection.TrackAcknowledgements();
        await StoreMailAsync(connection.AccountId, 1);
        _scheduler.Ring(connection, 0);
        await _scheduler.IdleAsync().WaitAsync(Timeout);
        var delivered = (await _store.ReadAsync(connection.AccountId, 0, 10, CancellationToken.None).WaitAsync(Timeout)).Single();
        Assert.True(connection.TryTakeDelivered(delivered.Id, out var key)); // the recipient acknowledged it

        var release = _store.HoldNextRead();
        _scheduler.Ring(connection, 0); // e.g. the sweep: this read still sees the row
        await _store.ReadEntered.WaitAsync(Timeout);
        var delete = new QueueBatch();
        delete.Deletes.Add(new QueueDelete(connection.AccountId, key));
        await _store.CommitAsync(delete, CancellationToken.None).WaitAsync(Timeout);
        connection.ForgetAcknowledged(delivered.Id); // what the commit hook does
        release.SetResult();
        await _scheduler.IdleAsync().WaitAsync(Timeout);

        Assert.Equal(0, connection.OutstandingCount); // not sent a second time
        _scheduler.Ring(connection, 0);
        await _scheduler.IdleAsync().WaitAsync(Timeout);
        Assert.Equal(0, connection.OutstandingCount);
    }

    [Fact]
    public void A_connection_remembers_exactly_the_last_capacity_sequences_it_read()
    {
        var recent = new RecentSequences();
        for (var sequence = 1L; sequence <= RecentSequences.Capacity; sequence++)
        {
            recent.Add(sequence);
        }

        Assert.True(recent.Contains(1));
        Assert.True(recent.Contains(RecentSequences.Capacity));
        Assert.False(recent.Contains(0));
        recent.Add(RecentSequences.Capacity + 1);
        Assert.False(recent.Contains(1));
        Assert.True(recent.Contains(2));
        Assert.True(recent.Contains(RecentSequences.Capacity + 1));
    }

    [Fact]
    public async Task Mail_whose_doorbell_was_lost_is_delivered_by_the_sweep()
    {
        var connection = Connect(NewAccount());
        await _registry.RegisterAsync(connection).WaitAsync(Timeout);
        await StoreMailAsync(connection.AccountId, 2); // committed by "another node"; its doorbell never arrives
        var options = Options.Create(new ClusterOptions());
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var cluster = new RedisRelayCluster(options, services, NullLogger<RedisRelayCluster>.Instance);
        using var sweeper = new ClusterSweeper(cluster, _registry, _scheduler, _writer, TestDatabases.Postgres(fixture), options,
            TimeProvider.System, NullLogger<ClusterSweeper>.Instance);

        await _scheduler.IdleAsync().WaitAsync(Timeout);
        Assert.Equal(0, connection.OutstandingCount);
        await sweeper.SweepAsync(CancellationToken.None).WaitAsync(Timeout);
        await _scheduler.IdleAsync().WaitAsync(Timeout);

        Assert.Equal(2, connection.OutstandingCount);
        var reads = _store.Reads;
        await sweeper.SweepAsync(CancellationToken.None).WaitAsync(Timeout);
        await _scheduler.IdleAsync().WaitAsync(Timeout);
        Assert.Equal(reads, _store.Reads); // everything stored is outstanding on the connection: nothing to read
        Assert.Equal(2, connection.OutstandingCount);
    }

    public async Task InitializeAsync()
    {
        var database = TestDatabases.Postgres(fixture);
        await TestDatabases.MigrateAsync(database, [new RelayMigrations()]);
        _store = new HoldingStore(new SqlMessageQueueStore(database));
        var depths = new QueueDepths();
        _writer = new GroupCommitWriter(_store, depths, new RelayMetrics(depths, new ParleyMetrics()),
            Options.Create(new RelayOptions()), TimeProvider.System, NullLogger<GroupCommitWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        _registry = new ConnectionRegistry(_writer);
        var delivery = new MessageDelivery(_registry, _writer, _store, new SingleNodeCluster(_registry));
        _scheduler = new CatchUpScheduler(delivery, new ParleyMetrics(), TimeProvider.System, NullLogger<CatchUpScheduler>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }
    }

    private RelayConnection Connect(long account)
    {
        var stream = new MemoryStream();
        _sockets.Add(stream);
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        return new RelayConnection(socket, account, "user" + account);
    }

    private async Task<long[]> StoreMailAsync(long recipient, int count)
    {
        var batch = new QueueBatch();
        batch.Inserts.AddRange(Enumerable.Range(0, count).Select(_ => Message(recipient)));
        await _store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);
        return [.. batch.Inserts.Select(m => m.Sequence)];
    }

    private static long NewAccount() => Interlocked.Increment(ref _nextAccount);

    private static QueuedMessage Message(long recipient) =>
        new(recipient, recipient + 1, "sender", MessageId.NewRandom(), QueuedKind.Envelope, 2, [1, 2, 3], 1_700_000_000_000);

    /// <summary>The real store; counts queue reads and can hold the next one (after it ran) until released.</summary>
    private sealed class HoldingStore(IMessageQueueStore inner) : IMessageQueueStore
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _hold;
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task ReadEntered => _entered.Task;

        public TaskCompletionSource HoldNextRead() =>
            _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<IReadOnlyList<QueuedMessage>>> ReadManyAsync(IReadOnlyList<long> recipientIds, IReadOnlyList<long> afterSequences,
            int limitPerRecipient, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            var pages = await inner.ReadManyAsync(recipientIds, afterSequences, limitPerRecipient, cancellationToken);
            if (Interlocked.Exchange(ref _hold, null) is { } hold)
            {
                // Held after the statement ran: what commits now is after this drain's snapshot.
                _entered.TrySetResult();
                await hold.Task.WaitAsync(Timeout, cancellationToken);
            }

            return pages;
        }

        public Task<IReadOnlyList<QueuedMessage>> ReadAsync(long recipientId, long afterSequence, int limit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.ReadAsync(recipientId, afterSequence, limit, cancellationToken);
        }

        public Task CommitAsync(QueueBatch batch, CancellationToken cancellationToken) => inner.CommitAsync(batch, cancellationToken);

        public Task<IReadOnlyDictionary<long, int>> CountByRecipientAsync(CancellationToken cancellationToken) => inner.CountByRecipientAsync(cancellationToken);

        public Task<int> ExpireAsync(long createdBeforeMs, CancellationToken cancellationToken) => inner.ExpireAsync(createdBeforeMs, cancellationToken);

        public Task<int> DeleteAccountAsync(long accountId, CancellationToken cancellationToken) => inner.DeleteAccountAsync(accountId, cancellationToken);
    }
}
