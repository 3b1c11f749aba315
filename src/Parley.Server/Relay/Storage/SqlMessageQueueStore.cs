using System.Data.Common;
using Microsoft.Data.Sqlite;
using Parley.Server.Storage;

namespace Parley.Server.Relay.Storage;

/// <summary>
/// <see cref="IMessageQueueStore"/> on the shared <see cref="IDatabase"/> (SQLite or PostgreSQL; the
/// reads are common to both). A batch is one write transaction: on PostgreSQL one multi-row insert and one
/// multi-row delete in one round trip (<see cref="PostgresQueueBatchWriter"/>), on SQLite multi-row
/// statements bound by position on SQLite's own API (<see cref="SqliteQueueBatchWriter"/>), on one commit
/// connection kept open with its statements prepared once (<see cref="SqliteQueueCommitConnection"/>).
/// </summary>
public sealed class SqlMessageQueueStore : IMessageQueueStore, IDisposable
{
    private const string SelectColumns = "seq, recipient_id, sender_id, sender_name, message_id, kind, subtype, body, created_ms";

    // PostgreSQL only: one statement reads the next page of many queues (a catch-up tick's worth), each
    // through the (recipient_id, seq) index, tagged with the 1-based position of its request.
    private const string ReadManySql =
        "SELECT q.seq, q.recipient_id, q.sender_id, q.sender_name, q.message_id, q.kind, q.subtype, q.body, q.created_ms, w.i " +
        "FROM unnest(@r::bigint[], @a::bigint[]) WITH ORDINALITY AS w(r, a, i) CROSS JOIN LATERAL " +
        $"(SELECT {SelectColumns} FROM relay_queue WHERE recipient_id = w.r AND seq > w.a ORDER BY seq LIMIT @l) q " +
        "ORDER BY w.i, q.seq";

    private readonly IDatabase _database;
    private readonly bool _fullSync;
    private readonly SemaphoreSlim _commitGate = new(1, 1);
    private SqliteQueueCommitConnection? _commitConnection;

    /// <summary>
    /// Creates the store. With <paramref name="fullSync"/> a SQLite commit is fsynced (durable across
    /// power loss); without it a commit survives a process kill but not an OS crash.
    /// </summary>
    public SqlMessageQueueStore(IDatabase database, bool fullSync = true)
    {
        _database = database;
        _fullSync = fullSync;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<long, int>> CountByRecipientAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand("SELECT recipient_id, COUNT(*) FROM relay_queue GROUP BY recipient_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<long, int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt64Value(0)] = (int)reader.GetInt64Value(1);
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task CommitAsync(QueueBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_database.Kind == DatabaseKind.Sqlite)
        {
            await CommitSqliteAsync(batch, cancellationToken);
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, cancellationToken);
        await PostgresQueueBatchWriter.WriteAsync(connection, transaction, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Closes the SQLite commit connection (the group-commit writer has stopped by then).</summary>
    public void Dispose()
    {
        _commitConnection?.Dispose();
        _commitConnection = null;
    }

    private async Task CommitSqliteAsync(QueueBatch batch, CancellationToken cancellationToken)
    {
        await _commitGate.WaitAsync(cancellationToken);
        try
        {
            _commitConnection ??= await SqliteQueueCommitConnection.OpenAsync(_database, _fullSync, cancellationToken);
            try
            {
                await using var transaction = await _database.BeginWriteAsync(_commitConnection.Connection, cancellationToken);
                SqliteQueueBatchWriter.Write(_commitConnection, batch);
                await transaction.CommitAsync(cancellationToken);
            }
            catch
            {
                // The transaction rolled back; whatever broke, the next commit starts on a fresh connection.
                _commitConnection.Dispose();
                _commitConnection = null;
                throw;
            }
        }
        finally
        {
            _commitGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueuedMessage>> ReadAsync(long recipientId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            $"SELECT {SelectColumns} FROM relay_queue WHERE recipient_id = @r AND seq > @a ORDER BY seq LIMIT @l")
            .With("r", recipientId).With("a", afterSequence).With("l", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<QueuedMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(ReadMessage(reader));
        }

        return messages;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IReadOnlyList<QueuedMessage>>> ReadManyAsync(IReadOnlyList<long> recipientIds,
        IReadOnlyList<long> afterSequences, int limitPerRecipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipientIds);
        ArgumentNullException.ThrowIfNull(afterSequences);
        if (recipientIds.Count != afterSequences.Count)
        {
            throw new ArgumentException("One sequence per recipient is required.", nameof(afterSequences));
        }

        var pages = new List<QueuedMessage>[recipientIds.Count];
        for (var i = 0; i < pages.Length; i++)
        {
            pages[i] = [];
        }

        if (pages.Length == 0)
        {
            return pages;
        }

        if (_database.Kind != DatabaseKind.Postgres)
        {
            // SQLite is a single node's store: nothing rings its doorbells in bulk, so one read each is enough.
            for (var i = 0; i < pages.Length; i++)
            {
                pages[i].AddRange(await ReadAsync(recipientIds[i], afterSequences[i], limitPerRecipient, cancellationToken));
            }

            return pages;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand(ReadManySql)
            .With("r", recipientIds.ToArray()).With("a", afterSequences.ToArray()).With("l", limitPerRecipient);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pages[reader.GetInt64Value(9) - 1].Add(ReadMessage(reader));
        }

        return pages;
    }

    /// <inheritdoc />
    public Task<int> ExpireAsync(long createdBeforeMs, CancellationToken cancellationToken) =>
        ExecuteWriteAsync("DELETE FROM relay_queue WHERE created_ms < @c", "c", createdBeforeMs, cancellationToken);

    /// <inheritdoc />
    public Task<int> DeleteAccountAsync(long accountId, CancellationToken cancellationToken) =>
        ExecuteWriteAsync("DELETE FROM relay_queue WHERE recipient_id = @a OR sender_id = @a", "a", accountId, cancellationToken);

    private async Task<int> ExecuteWriteAsync(string sql, string name, long value, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand(sql, transaction).With(name, value);
        var count = await command.ExecuteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private static QueuedMessage ReadMessage(DbDataReader reader)
    {
        var idBytes = reader.GetBytes(4);
        if (!MessageId.TryRead(idBytes, out var id))
        {
            throw new InvalidDataException("Stored message id has the wrong length.");
        }

        return new QueuedMessage(reader.GetInt64Value(1), reader.GetInt64Value(2), reader.GetString(3), id,
            (QueuedKind)reader.GetInt64Value(5), (int)reader.GetInt64Value(6), reader.GetBytes(7), reader.GetInt64Value(8))
        {
            Sequence = reader.GetInt64Value(0),
        };
    }
}
