using Parley.Server.Accounts;
using Parley.Server.Storage;

namespace Parley.Server.Authentication;

/// <summary><see cref="ISessionTokenStore"/> on SQLite or PostgreSQL (the SQL is common to both).</summary>
public sealed class SqlSessionTokenStore(IDatabase database) : ISessionTokenStore
{
    /// <inheritdoc />
    public async Task CreateAsync(byte[] tokenHash, AccountId accountId, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (@h, @a, @c, @e)")
            .With("h", tokenHash).With("a", accountId.Value)
            .With("c", createdAt.ToUnixTimeMilliseconds()).With("e", expiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SessionRecord?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "SELECT s.account_id, a.username, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id " +
            "WHERE s.token_hash = @h").With("h", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new SessionRecord(tokenHash, new AccountId(reader.GetInt64Value(0)), reader.GetString(1),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64Value(2)));
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM sessions WHERE token_hash = @h").With("h", tokenHash);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<int> RevokeAllAsync(AccountId accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM sessions WHERE account_id = @a").With("a", accountId.Value);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM sessions WHERE expires_at < @n")
            .With("n", now.ToUnixTimeMilliseconds());
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }
}
