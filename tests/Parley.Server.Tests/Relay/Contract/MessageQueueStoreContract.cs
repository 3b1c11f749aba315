using Parley.Server.Relay;
using Parley.Server.Relay.Storage;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Relay.Contract;

/// <summary>The queue store's contract, run against SQLite and PostgreSQL.</summary>
public abstract class MessageQueueStoreContract
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static long _nextAccount = Random.Shared.NextInt64(1, long.MaxValue / 4);

    protected abstract IDatabase Database { get; }

    [Fact]
    public async Task A_batch_commits_inserts_and_deletes_together_and_reads_come_back_in_sequence_order()
    {
        var store = await StoreAsync();
        var (recipient, sender) = (NewAccount(), NewAccount());
        var messages = Enumerable.Range(1, 5).Select(i => Message(recipient, sender)).ToList();
        var batch = new QueueBatch();
        batch.Inserts.AddRange(messages);
        await store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);
        Assert.All(batch.Inserted, Assert.True);
        Assert.True(messages[0].Sequence > 0);
        Assert.Equal(messages.Select(m => m.Sequence).Order(), messages.Select(m => m.Sequence));

        var read = await store.ReadAsync(recipient, 0, 100, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(messages.Select(m => m.Sequence), read.Select(m => m.Sequence));
        Assert.Equal(messages[2].Body, read[2].Body);
        Assert.Equal(messages[2].Id, read[2].Id);
        Assert.Equal(messages[2].SenderName, read[2].SenderName);
        var page = await store.ReadAsync(recipient, read[1].Sequence, 2, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal([read[2].Sequence, read[3].Sequence], page.Select(m => m.Sequence));

        var deletes = new QueueBatch();
        deletes.Deletes.Add(new QueueDelete(recipient, messages[0].Key));
        deletes.Deletes.Add(new QueueDelete(NewAccount(), messages[1].Key)); // not the recipient: no effect
        await store.CommitAsync(deletes, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal([1, 0], deletes.Deleted);
        Assert.Equal(4, (await store.CountByRecipientAsync(CancellationToken.None).WaitAsync(Timeout))[recipient]);
    }

    [Fact]
    public async Task A_repeated_sender_and_id_is_reported_and_not_stored_twice()
    {
        var store = await StoreAsync();
        var (recipient, sender) = (NewAccount(), NewAccount());
        var original = Message(recipient, sender);
        var first = new QueueBatch();
        first.Inserts.Add(original);
        await store.CommitAsync(first, CancellationToken.None).WaitAsync(Timeout);
        var again = new QueueBatch();
        again.Inserts.Add(new QueuedMessage(recipient, sender, "sender", original.Id, QueuedKind.Envelope, 2, [9], 1) );
        await store.CommitAsync(again, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal([false], again.Inserted);
        Assert.Equal(0, again.Inserts[0].Sequence);
        Assert.Single(await store.ReadAsync(recipient, 0, 10, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_large_batch_numbers_its_rows_in_batch_order_and_reports_each_insert_and_delete()
    {
        var store = await StoreAsync();
        var (alice, bob, sender) = (NewAccount(), NewAccount(), NewAccount());
        var earlier = new QueueBatch();
        earlier.Inserts.AddRange(Enumerable.Range(0, 3).Select(_ => Message(alice, sender)));
        await store.CommitAsync(earlier, CancellationToken.None).WaitAsync(Timeout);

        // 1,000 new rows for two recipients, with an already stored key in the middle (a retry), and in
        // the same commit: a delete of a stored row, the same delete again, one naming the wrong
        // recipient and one of a row that does not exist.
        var batch = new QueueBatch();
        batch.Inserts.AddRange(Enumerable.Range(0, 1_000).Select(i => Message(i % 3 == 0 ? bob : alice, sender)));
        var retry = new QueuedMessage(alice, sender, "sender", earlier.Inserts[1].Id, QueuedKind.Envelope, 2, [7], 1);
        batch.Inserts.Insert(500, retry);
        batch.Deletes.Add(new QueueDelete(bob, earlier.Inserts[0].Key));
        batch.Deletes.Add(new QueueDelete(alice, earlier.Inserts[0].Key));
        batch.Deletes.Add(new QueueDelete(alice, earlier.Inserts[0].Key));
        batch.Deletes.Add(new QueueDelete(alice, Message(alice, sender).Key));
        batch.Deletes.Add(new QueueDelete(alice, earlier.Inserts[2].Key));
        await store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, 1_001).Select(i => i != 500), batch.Inserted);
        Assert.Equal(0, retry.Sequence);
        var created = batch.Inserts.Where(m => m.Sequence > 0).Select(m => m.Sequence).ToList();
        Assert.Equal(1_000, created.Count);
        Assert.Equal(created.Order(), created);
        Assert.True(created[0] > earlier.Inserts[2].Sequence);
        Assert.Equal([0, 1, 0, 0, 1], batch.Deleted);

        var aliceQueue = await store.ReadAsync(alice, 0, 2_000, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(
            new[] { earlier.Inserts[1].Id }.Concat(batch.Inserts.Where(m => m.RecipientId == alice && m.Sequence > 0).Select(m => m.Id)),
            aliceQueue.Select(m => m.Id));
        Assert.Equal(earlier.Inserts[1].Body, aliceQueue[0].Body);
        var bobQueue = await store.ReadAsync(bob, 0, 2_000, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(batch.Inserts.Where(m => m.RecipientId == bob).Select(m => (m.Id, m.Body)), bobQueue.Select(m => (m.Id, m.Body)));
    }

    [Theory]
    [InlineData(SqliteQueueBatchWriter.RowsPerInsert, SqliteQueueBatchWriter.RowsPerDelete)]
    [InlineData(SqliteQueueBatchWriter.RowsPerInsert + 1, SqliteQueueBatchWriter.RowsPerDelete + 1)]
    public async Task Batches_at_and_one_past_a_statements_row_limit_are_written_whole(int inserts, int deletes)
    {
        var store = await StoreAsync();
        var (recipient, sender) = (NewAccount(), NewAccount());
        var first = new QueueBatch();
        first.Inserts.AddRange(Enumerable.Range(0, inserts).Select(_ => Message(recipient, sender)));
        await store.CommitAsync(first, CancellationToken.None).WaitAsync(Timeout);
        Assert.All(first.Inserted, Assert.True);
        Assert.Equal(first.Inserts.Select(m => m.Sequence).Order(), first.Inserts.Select(m => m.Sequence));
        Assert.Equal(inserts, first.Inserts.Select(m => m.Sequence).Distinct().Count());

        // The last delete repeats the first: past the limit it is in the next statement, and still counts 0.
        var doomed = new QueueBatch();
        doomed.Inserts.AddRange(Enumerable.Range(0, deletes).Select(_ => Message(recipient, sender)));
        await store.CommitAsync(doomed, CancellationToken.None).WaitAsync(Timeout);
        var second = new QueueBatch();
        second.Deletes.AddRange(doomed.Inserts.Take(deletes - 1).Select(m => new QueueDelete(recipient, m.Key)));
        second.Deletes.Add(new QueueDelete(recipient, doomed.Inserts[0].Key));
        await store.CommitAsync(second, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, deletes).Select(i => i < deletes - 1 ? 1 : 0), second.Deleted);
        var left = await store.ReadAsync(recipient, 0, 1_000, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(first.Inserts.Append(doomed.Inserts[^1]).Select(m => m.Id), left.Select(m => m.Id));
    }

    [Fact]
    public async Task Many_commits_of_every_size_on_one_store_each_write_and_delete_exactly_their_rows()
    {
        // One store keeps its commit statements between commits (SQLite): each batch size from 1 to 40 is
        // cut into different chunks, and every commit must still see only its own rows.
        using var store = await StoreAsync();
        var (recipient, sender) = (NewAccount(), NewAccount());
        var stored = new List<QueuedMessage>();
        for (var size = 1; size <= 40; size++)
        {
            var batch = new QueueBatch();
            batch.Inserts.AddRange(Enumerable.Range(0, size).Select(_ => Message(recipient, sender)));
            batch.Deletes.AddRange(stored.Take(size / 2).Select(m => new QueueDelete(recipient, m.Key)));
            await store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);
            Assert.All(batch.Inserted, Assert.True);
            Assert.All(batch.Deleted, d => Assert.Equal(1, d));
            Assert.Equal(batch.Inserts.Select(m => m.Sequence).Order(), batch.Inserts.Select(m => m.Sequence));
            stored.RemoveRange(0, size / 2);
            stored.AddRange(batch.Inserts);
        }

        var left = await store.ReadAsync(recipient, 0, 1_000, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(stored.Select(m => m.Id), left.Select(m => m.Id));
    }

    [Theory]
    [InlineData(1, 128, 1)]
    [InlineData(3, 128, 2)]
    [InlineData(127, 128, 64)]
    [InlineData(128, 128, 128)]
    [InlineData(129, 128, 128)]
    [InlineData(300, 256, 256)]
    public void A_batch_is_cut_into_the_largest_power_of_two_chunk_that_fits(int left, int max, int chunk) =>
        Assert.Equal(chunk, SqliteQueueBatchWriter.Chunk(left, max));

    [Fact]
    public async Task Sequence_numbers_come_from_the_database_and_are_never_reused()
    {
        var store = await StoreAsync();
        var (recipient, sender) = (NewAccount(), NewAccount());
        var first = Message(recipient, sender);
        var batch = new QueueBatch();
        batch.Inserts.Add(first);
        await store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);
        var delete = new QueueBatch();
        delete.Deletes.Add(new QueueDelete(recipient, first.Key));
        await store.CommitAsync(delete, CancellationToken.None).WaitAsync(Timeout);

        // A second writer (another node) sharing the database: its numbers continue, they do not restart.
        var other = new SqlMessageQueueStore(Database);
        var second = Message(recipient, sender);
        var next = new QueueBatch();
        next.Inserts.Add(second);
        await other.CommitAsync(next, CancellationToken.None).WaitAsync(Timeout);
        Assert.True(second.Sequence > first.Sequence);
    }

    [Fact]
    public async Task Reading_many_queues_at_once_gives_each_request_its_own_page_in_sequence_order()
    {
        var store = await StoreAsync();
        var (alice, bob, carol, sender) = (NewAccount(), NewAccount(), NewAccount(), NewAccount());
        var batch = new QueueBatch();
        batch.Inserts.AddRange(Enumerable.Range(0, 4).Select(_ => Message(alice, sender)));
        batch.Inserts.AddRange(Enumerable.Range(0, 3).Select(_ => Message(bob, sender)));
        await store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);
        var aliceSeqs = batch.Inserts.Where(m => m.RecipientId == alice).Select(m => m.Sequence).ToArray();
        var bobSeqs = batch.Inserts.Where(m => m.RecipientId == bob).Select(m => m.Sequence).ToArray();

        var pages = await store.ReadManyAsync([bob, alice, carol, alice], [0, aliceSeqs[0], 0, 0], 2, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(4, pages.Count);
        Assert.Equal(bobSeqs[..2], pages[0].Select(m => m.Sequence));
        Assert.Equal(aliceSeqs[1..3], pages[1].Select(m => m.Sequence));
        Assert.Empty(pages[2]);
        Assert.Equal(aliceSeqs[..2], pages[3].Select(m => m.Sequence));
        Assert.All(pages[1], m => Assert.Equal(alice, m.RecipientId));
        Assert.Equal(batch.Inserts.First(m => m.Sequence == bobSeqs[1]).Id, pages[0][1].Id);
        Assert.Empty(await store.ReadManyAsync([], [], 2, CancellationToken.None).WaitAsync(Timeout));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadManyAsync([alice], [], 2, CancellationToken.None));
    }

    [Fact]
    public async Task Expiry_and_account_deletion_remove_exactly_their_rows()
    {
        var store = await StoreAsync();
        var (alice, bob, carol) = (NewAccount(), NewAccount(), NewAccount());
        var batch = new QueueBatch();
        batch.Inserts.Add(Message(bob, alice, createdMs: 1_000));
        batch.Inserts.Add(Message(bob, carol, createdMs: 5_000_000_000_000));
        batch.Inserts.Add(Message(carol, bob, createdMs: 5_000_000_000_000));
        batch.Inserts.Add(Message(alice, carol, createdMs: 5_000_000_000_000));
        await store.CommitAsync(batch, CancellationToken.None).WaitAsync(Timeout);

        Assert.True(await store.ExpireAsync(2_000, CancellationToken.None).WaitAsync(Timeout) >= 1);
        Assert.Single(await store.ReadAsync(bob, 0, 10, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(2, await store.DeleteAccountAsync(bob, CancellationToken.None).WaitAsync(Timeout));
        Assert.Empty(await store.ReadAsync(bob, 0, 10, CancellationToken.None).WaitAsync(Timeout));
        Assert.Empty(await store.ReadAsync(carol, 0, 10, CancellationToken.None).WaitAsync(Timeout));
        Assert.Single(await store.ReadAsync(alice, 0, 10, CancellationToken.None).WaitAsync(Timeout));
    }

    protected async Task<SqlMessageQueueStore> StoreAsync()
    {
        await TestDatabases.MigrateAsync(Database, [.. TestDatabases.ServerSchema, new RelayMigrations()]);
        return new SqlMessageQueueStore(Database);
    }

    protected static long NewAccount() => Interlocked.Increment(ref _nextAccount);

    protected static QueuedMessage Message(long recipient, long sender, long createdMs = 1_700_000_000_000) =>
        new(recipient, sender, "sender", MessageId.NewRandom(), QueuedKind.Envelope, 2, MessageId.NewRandom().ToBytes(), createdMs);
}

public sealed class MessageQueueStoreContractSqlite : MessageQueueStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    public MessageQueueStoreContractSqlite() => Database = TestDatabases.Sqlite(_directory);

    protected override IDatabase Database { get; }

    [Fact]
    public async Task A_failed_commit_changes_nothing_and_the_next_commit_works_on_a_fresh_connection()
    {
        using var store = await StoreAsync();
        var (recipient, sender) = (NewAccount(), NewAccount());
        var before = new QueueBatch();
        before.Inserts.Add(Message(recipient, sender));
        await store.CommitAsync(before, CancellationToken.None).WaitAsync(Timeout);

        // A trigger refuses one poisoned body: its batch (with a good row and a delete) must roll back whole.
        await using (var connection = await Database.OpenAsync(CancellationToken.None))
        await using (var trigger = connection.CreateCommand(
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON relay_queue WHEN NEW.body = X'DEAD' BEGIN SELECT RAISE(ABORT, 'poison'); END"))
        {
            await trigger.ExecuteNonQueryAsync();
        }

        var failing = new QueueBatch();
        failing.Inserts.Add(Message(recipient, sender));
        failing.Inserts.Add(new QueuedMessage(recipient, sender, "sender", MessageId.NewRandom(), QueuedKind.Envelope, 2, [0xDE, 0xAD], 1));
        failing.Deletes.Add(new QueueDelete(recipient, before.Inserts[0].Key));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => store.CommitAsync(failing, CancellationToken.None).WaitAsync(Timeout));

        var after = new QueueBatch();
        after.Inserts.Add(Message(recipient, sender));
        await store.CommitAsync(after, CancellationToken.None).WaitAsync(Timeout);
        var left = await store.ReadAsync(recipient, 0, 10, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal([before.Inserts[0].Id, after.Inserts[0].Id], left.Select(m => m.Id));
    }

    public void Dispose() => _directory.Dispose();
}

public sealed class MessageQueueStoreContractPostgres(PostgresDatabaseFixture fixture)
    : MessageQueueStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    protected override IDatabase Database { get; } = TestDatabases.Postgres(fixture);
}
