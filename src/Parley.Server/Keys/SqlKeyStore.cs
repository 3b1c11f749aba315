using System.Data.Common;
using Parley.Server.Accounts;
using Parley.Server.Storage;

namespace Parley.Server.Keys;

/// <summary>
/// <see cref="IKeyStore"/> on SQLite or PostgreSQL. One-time keys are consumed with a single
/// <c>DELETE … RETURNING</c>: on SQLite the statement holds the write lock; on PostgreSQL the row is
/// taken under a per-account advisory transaction lock, so concurrent fetches queue and each gets the
/// next key.
/// </summary>
public sealed class SqlKeyStore(IDatabase database) : IKeyStore
{
    private const int TakeLockClass = 0x50726B; // advisory lock namespace for one-time key takes

    /// <inheritdoc />
    public async Task<IdentityOutcome> SetIdentityAsync(AccountId account, byte[] data, byte[] signingKey, byte[] agreementKey, bool replace,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var owner = connection.CreateCommand(
            "SELECT account_id FROM identity_keys WHERE signing_key = @s OR agreement_key = @x", transaction)
            .With("s", signingKey).With("x", agreementKey))
        await using (var reader = await owner.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetInt64Value(0) != account.Value)
                {
                    return IdentityOutcome.InUseByOtherAccount;
                }
            }
        }
        var existing = await ReadBlobAsync(connection, transaction, "SELECT data FROM identity_keys WHERE account_id = @a", account, cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null && existing.AsSpan().SequenceEqual(data))
        {
            return IdentityOutcome.Unchanged;
        }
        if (existing is not null && !replace)
        {
            return IdentityOutcome.ExistsDifferent;
        }
        foreach (var table in (string[])["identity_keys", "signed_prekeys", "kem_last_resort_prekeys", "cipher_suites", "one_time_prekeys", "kem_prekeys"])
        {
            await using var clear = connection.CreateCommand($"DELETE FROM {table} WHERE account_id = @a", transaction).With("a", account.Value);
            await clear.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var insert = connection.CreateCommand(
            "INSERT INTO identity_keys (account_id, signing_key, agreement_key, data, updated_at) VALUES (@a, @s, @x, @d, @t)", transaction)
            .With("a", account.Value).With("s", signingKey).With("x", agreementKey).With("d", data).With("t", now.ToUnixTimeMilliseconds()))
        {
            await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return IdentityOutcome.Stored;
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetIdentityAsync(AccountId account, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadBlobAsync(connection, null, "SELECT data FROM identity_keys WHERE account_id = @a", account, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetSingleAsync(AccountId account, SingleKeyKind kind, uint keyId, byte[] data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = kind == SingleKeyKind.SignedPreKey ? "signed_prekeys" : "kem_last_resort_prekeys";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            $"INSERT INTO {table} (account_id, key_id, data, updated_at) VALUES (@a, @k, @d, @t) " +
            "ON CONFLICT (account_id) DO UPDATE SET key_id = excluded.key_id, data = excluded.data, updated_at = excluded.updated_at")
            .With("a", account.Value).With("k", (long)keyId).With("d", data).With("t", now.ToUnixTimeMilliseconds());
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetSuitesAsync(AccountId account, byte[] data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "INSERT INTO cipher_suites (account_id, data, updated_at) VALUES (@a, @d, @t) " +
            "ON CONFLICT (account_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at")
            .With("a", account.Value).With("d", data).With("t", now.ToUnixTimeMilliseconds());
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> AddOneTimeAsync(AccountId account, OneTimeKind kind, IReadOnlyList<(uint Id, byte[] Data)> keys, int maxStored,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var table = Table(kind);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var added = 0;
        foreach (var (id, data) in keys)
        {
            await using var insert = connection.CreateCommand(
                $"INSERT INTO {table} (account_id, key_id, data) VALUES (@a, @k, @d) ON CONFLICT (account_id, key_id) DO NOTHING", transaction)
                .With("a", account.Value).With("k", (long)id).With("d", data);
            added += await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        if (await CountAsync(connection, transaction, table, account, cancellationToken).ConfigureAwait(false) > maxStored)
        {
            return -1; // Rolled back.
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <inheritdoc />
    public async Task<KeyCounts> CountAsync(AccountId account, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        async Task<bool> Has(string table) => await CountAsync(connection, null, table, account, cancellationToken).ConfigureAwait(false) > 0;
        return new KeyCounts(
            await CountAsync(connection, null, "one_time_prekeys", account, cancellationToken).ConfigureAwait(false),
            await CountAsync(connection, null, "kem_prekeys", account, cancellationToken).ConfigureAwait(false),
            await Has("identity_keys").ConfigureAwait(false), await Has("signed_prekeys").ConfigureAwait(false),
            await Has("kem_last_resort_prekeys").ConfigureAwait(false), await Has("cipher_suites").ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<StoredBundleParts?> GetBundlePartsAsync(AccountId account, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "SELECT i.data, s.data, k.data, c.data FROM identity_keys i " +
            "JOIN signed_prekeys s ON s.account_id = i.account_id " +
            "JOIN kem_last_resort_prekeys k ON k.account_id = i.account_id " +
            "JOIN cipher_suites c ON c.account_id = i.account_id WHERE i.account_id = @a").With("a", account.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new StoredBundleParts(reader.GetBytes(0), reader.GetBytes(1), reader.GetBytes(2), reader.GetBytes(3));
    }

    /// <inheritdoc />
    public async Task<byte[]?> TakeOneTimeAsync(AccountId account, OneTimeKind kind, CancellationToken cancellationToken)
    {
        var table = Table(kind);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (database.Kind == DatabaseKind.Sqlite)
        {
            // A consumed key must stay consumed across a power failure, or it could be handed out twice.
            await using var pragma = connection.CreateCommand("PRAGMA synchronous=FULL");
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (database.Kind == DatabaseKind.Postgres)
        {
            // Serialize takes per account: a plain FOR UPDATE would let a waiter re-check a deleted row and
            // come back empty while keys remain; SKIP LOCKED could do the same when all rows are locked.
            await using var lockCommand = connection.CreateCommand("SELECT pg_advisory_xact_lock(@c, @o)", transaction)
                .With("c", TakeLockClass).With("o", unchecked((int)account.Value ^ (int)(account.Value >> 32)));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var sql = database.Kind == DatabaseKind.Postgres
            ? $"DELETE FROM {table} WHERE account_id = @a AND key_id = (SELECT MIN(key_id) FROM {table} WHERE account_id = @a) RETURNING data"
            : $"DELETE FROM {table} WHERE rowid = (SELECT rowid FROM {table} WHERE account_id = @a ORDER BY key_id LIMIT 1) RETURNING data";
        byte[]? data;
        await using (var take = connection.CreateCommand(sql, transaction).With("a", account.Value))
        {
            data = await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return data;
    }

    private static string Table(OneTimeKind kind) => kind == OneTimeKind.X25519 ? "one_time_prekeys" : "kem_prekeys";

    private static async Task<int> CountAsync(DbConnection connection, DbTransaction? transaction, string table, AccountId account, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand($"SELECT COUNT(*) FROM {table} WHERE account_id = @a", transaction).With("a", account.Value);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<byte[]?> ReadBlobAsync(DbConnection connection, DbTransaction? transaction, string sql, AccountId account, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(sql, transaction).With("a", account.Value);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }
}
