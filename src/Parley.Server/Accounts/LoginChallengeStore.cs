using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>A pending SRP login: the server's ephemeral, kept between start and finish.</summary>
/// <param name="Username">The normalized username asked for (for throttling failures).</param>
/// <param name="AccountId">The account, or null when the username was unknown (a fake login that can never finish).</param>
/// <param name="PrivateB">The server's private ephemeral b.</param>
/// <param name="PublicB">The server's public ephemeral B.</param>
/// <param name="ExpiresAt">After this the login id is refused.</param>
/// <param name="Plan">What the start charged to the login throttle (released or refunded by the finish).</param>
public sealed record PendingLogin(string Username, AccountId? AccountId, byte[] PrivateB, byte[] PublicB, DateTimeOffset ExpiresAt, LoginPlan Plan);

/// <summary>
/// Pending logins and spent proof-of-work challenges: the short-lived, single-use state of the
/// authentication protocol. Kept in the database so any node can finish a login another began.
/// </summary>
public sealed class LoginChallengeStore(IDatabase database)
{
    /// <summary>Stores a pending login under the hash of its id.</summary>
    public async Task CreateAsync(byte[] loginIdHash, PendingLogin login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "INSERT INTO srp_pending_logins (login_id_hash, username, account_id, private_b, public_b, expires_at, client_address, device_id) " +
            "VALUES (@h, @u, @a, @pb, @b, @e, @ca, @d)")
            .With("h", loginIdHash).With("u", login.Username).With("a", login.AccountId?.Value).With("pb", login.PrivateB).With("b", login.PublicB)
            .With("e", login.ExpiresAt.ToUnixTimeMilliseconds()).With("ca", login.Plan.Address).With("d", login.Plan.DeviceId);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes and returns a pending login: each id is usable exactly once, whatever the outcome.</summary>
    public async Task<PendingLogin?> TakeAsync(byte[] loginIdHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "DELETE FROM srp_pending_logins WHERE login_id_hash = @h RETURNING username, account_id, private_b, public_b, expires_at, client_address, device_id")
            .With("h", loginIdHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var username = reader.GetString(0);
        return new PendingLogin(
            username,
            reader.IsDBNull(1) ? null : new AccountId(reader.GetInt64Value(1)),
            reader.GetBytes(2), reader.GetBytes(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64Value(4)),
            new LoginPlan(username, reader.IsDBNull(5) ? "-" : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
    }

    /// <summary>Marks a proof-of-work challenge spent; false when it already was.</summary>
    public async Task<bool> TrySpendChallengeAsync(byte[] challengeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "INSERT INTO pow_spent (challenge_hash, expires_at) VALUES (@h, @e) ON CONFLICT (challenge_hash) DO NOTHING")
            .With("h", challengeHash).With("e", expiresAt.ToUnixTimeMilliseconds());
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes expired pending logins and spent challenges; returns how many rows went.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var logins = connection.CreateCommand("DELETE FROM srp_pending_logins WHERE expires_at < @n")
            .With("n", now.ToUnixTimeMilliseconds());
        var count = await logins.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await using var spent = connection.CreateCommand("DELETE FROM pow_spent WHERE expires_at < @n")
            .With("n", now.ToUnixTimeMilliseconds());
        count += await spent.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await using var invites = connection.CreateCommand("DELETE FROM invites WHERE expires_at < @n")
            .With("n", now.ToUnixTimeMilliseconds());
        return count + await invites.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }
}
