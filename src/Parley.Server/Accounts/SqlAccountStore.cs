using System.Data.Common;
using Parley.Crypto.Auth;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary><see cref="IAccountStore"/> on SQLite or PostgreSQL.</summary>
public sealed class SqlAccountStore(IDatabase database) : IAccountStore
{
    private const string Columns =
        "id, username, srp_salt, verifier, argon_salt, argon_memory_kib, argon_iterations, argon_parallelism, created_at";

    /// <inheritdoc />
    public async Task<(CreateAccountOutcome Outcome, AccountId Id)> CreateAsync(
        string username, SrpRegistration credentials, DateTimeOffset now, byte[]? inviteCodeHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (inviteCodeHash is not null)
        {
            await using var invite = connection.CreateCommand(
                "DELETE FROM invites WHERE code_hash = @h AND expires_at > @n", transaction)
                .With("h", inviteCodeHash).With("n", now.ToUnixTimeMilliseconds());
            if (await invite.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return (CreateAccountOutcome.InviteInvalid, default);
            }
        }
        await using var insert = connection.CreateCommand(
            "INSERT INTO accounts (username, srp_salt, verifier, argon_salt, argon_memory_kib, argon_iterations, argon_parallelism, created_at) " +
            "VALUES (@u, @s, @v, @as, @m, @i, @p, @c) ON CONFLICT (username) DO NOTHING RETURNING id", transaction)
            .With("u", username).With("s", credentials.SrpSalt).With("v", credentials.Verifier).With("as", credentials.ArgonSalt)
            .With("m", credentials.Argon2.MemoryKiB).With("i", credentials.Argon2.Iterations).With("p", credentials.Argon2.Parallelism)
            .With("c", now.ToUnixTimeMilliseconds());
        var id = await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (id is null or DBNull)
        {
            return (CreateAccountOutcome.UsernameTaken, default); // Rolled back: the invite stays unused.
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (CreateAccountOutcome.Created, new AccountId(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <inheritdoc />
    public Task<AccountRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        FindAsync($"SELECT {Columns} FROM accounts WHERE username = @k", username, cancellationToken);

    /// <inheritdoc />
    public async Task<AccountId?> FindIdByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT COALESCE((SELECT id FROM accounts WHERE username = @k), 0)").With("k", username);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        return id > 0 ? new AccountId(id) : null;
    }

    /// <inheritdoc />
    public Task<AccountRecord?> FindByIdAsync(AccountId id, CancellationToken cancellationToken) =>
        FindAsync($"SELECT {Columns} FROM accounts WHERE id = @k", id.Value, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> ChangeCredentialsAsync(AccountId id, SrpRegistration credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var update = connection.CreateCommand(
            "UPDATE accounts SET srp_salt = @s, verifier = @v, argon_salt = @as, argon_memory_kib = @m, argon_iterations = @i, " +
            "argon_parallelism = @p WHERE id = @id", transaction)
            .With("s", credentials.SrpSalt).With("v", credentials.Verifier).With("as", credentials.ArgonSalt)
            .With("m", credentials.Argon2.MemoryKiB).With("i", credentials.Argon2.Iterations).With("p", credentials.Argon2.Parallelism)
            .With("id", id.Value);
        if (await update.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }
        await using var revoke = connection.CreateCommand("DELETE FROM sessions WHERE account_id = @id", transaction).With("id", id.Value);
        await revoke.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(AccountId id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM accounts WHERE id = @id").With("id", id.Value);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT COUNT(*) FROM accounts");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task CreateInviteAsync(byte[] codeHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "INSERT INTO invites (code_hash, created_at, expires_at) VALUES (@h, @c, @e)")
            .With("h", codeHash).With("c", now.ToUnixTimeMilliseconds()).With("e", expiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AccountRecord?> FindAsync(string sql, object key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(sql).With("k", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static AccountRecord Read(DbDataReader reader) => new(
        new AccountId(reader.GetInt64Value(0)),
        reader.GetString(1),
        new SrpRegistration(reader.GetBytes(2), reader.GetBytes(3), reader.GetBytes(4),
            new Argon2Parameters((int)reader.GetInt64Value(5), (int)reader.GetInt64Value(6), (int)reader.GetInt64Value(7))),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64Value(8)));
}
