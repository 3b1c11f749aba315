using System.Data.Common;
using Parley.Server.Storage;

namespace Parley.Server.Files;

/// <summary>
/// <see cref="IFileStore"/> over the server's database (SQLite or PostgreSQL; the SQL is common to
/// both). Quota checks run inside a write transaction — SQLite's <c>BEGIN IMMEDIATE</c>, or a
/// per-owner advisory lock on PostgreSQL — so concurrent uploads cannot overrun a quota together.
/// </summary>
public sealed class SqlFileStore(IDatabase database) : IFileStore
{
    private const string Columns = "id, owner, length, received, created_at, expires_at";

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(FileRecord record, long quotaBytes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await database.BeginWriteAsync(connection, cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await using DbCommand lockOwner = connection.CreateCommand(
                "SELECT pg_advisory_xact_lock(hashtextextended(@owner, 6))", transaction).With("owner", record.Owner);
            await lockOwner.ExecuteNonQueryAsync(cancellationToken);
        }

        long usage = await UsageAsync(connection, transaction, record.Owner, now, cancellationToken);
        if (usage > quotaBytes - record.Length)
        {
            return false;
        }

        await using DbCommand insert = connection.CreateCommand(
            $"INSERT INTO files ({Columns}) VALUES (@id, @owner, @length, @received, @created, @expires)", transaction)
            .With("id", record.Id.Value).With("owner", record.Owner).With("length", record.Length)
            .With("received", record.Offset).With("created", record.CreatedAt.ToUnixTimeMilliseconds())
            .With("expires", record.ExpiresAt.ToUnixTimeMilliseconds());
        await insert.ExecuteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<FileRecord?> GetAsync(BlobId id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand select = connection.CreateCommand($"SELECT {Columns} FROM files WHERE id = @id").With("id", id.Value);
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async Task<bool> TryAdvanceAsync(BlobId id, long expectedOffset, long newOffset, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand update = connection.CreateCommand(
            "UPDATE files SET received = @new, expires_at = @expires WHERE id = @id AND received = @expected AND @new <= length")
            .With("id", id.Value).With("expected", expectedOffset).With("new", newOffset)
            .With("expires", expiresAt.ToUnixTimeMilliseconds());
        return await update.ExecuteAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlobId>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand select = connection.CreateCommand(
            "SELECT id FROM files WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit")
            .With("now", now.ToUnixTimeMilliseconds()).With("limit", limit);
        return await ReadIdsAsync(select, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlobId>> ListByOwnerAsync(string owner, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand select = connection.CreateCommand("SELECT id FROM files WHERE owner = @owner").With("owner", owner);
        return await ReadIdsAsync(select, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> GetUsageAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await UsageAsync(connection, null, owner, now, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(BlobId id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbCommand delete = connection.CreateCommand("DELETE FROM files WHERE id = @id").With("id", id.Value);
        await delete.ExecuteAsync(cancellationToken);
    }

    private static async Task<long> UsageAsync(DbConnection connection, DbTransaction? transaction, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using DbCommand sum = connection.CreateCommand(
            "SELECT COALESCE(SUM(length), 0) FROM files WHERE owner = @owner AND expires_at > @now", transaction)
            .With("owner", owner).With("now", now.ToUnixTimeMilliseconds());
        object? value = await sum.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<BlobId>> ReadIdsAsync(DbCommand select, CancellationToken cancellationToken)
    {
        var ids = new List<BlobId>();
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (BlobId.TryParse(reader.GetString(0), out BlobId id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static FileRecord Read(DbDataReader reader)
    {
        if (!BlobId.TryParse(reader.GetString(0), out BlobId id))
        {
            throw new InvalidDataException("A stored blob id is malformed.");
        }

        return new FileRecord(
            id,
            reader.GetString(1),
            reader.GetInt64Value(2),
            reader.GetInt64Value(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64Value(4)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64Value(5)));
    }
}
