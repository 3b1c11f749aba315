using System.Globalization;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Relay.Support;

/// <summary>
/// An account row (with a placeholder verifier: it cannot log in) and a real session token, written
/// straight into a server's database, for tests that need authenticated sockets without SRP.
/// </summary>
public static class SeededAccounts
{
    /// <summary>Creates <paramref name="username"/> with a session valid for <paramref name="lifetime"/> (default one day).</summary>
    public static async Task<TestUser> CreateAsync(IDatabase database, string username, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(CancellationToken.None).AsTask().WaitAsync(RelayTestClient.Timeout);
        await using var command = connection.CreateCommand(
            "INSERT INTO accounts (username, srp_salt, verifier, argon_salt, argon_memory_kib, argon_iterations, argon_parallelism, created_at) " +
            "VALUES (@u, @s, @s, @s, 1024, 1, 1, 0) RETURNING id").With("u", username).With("s", new byte[] { 1 });
        var id = Convert.ToInt64(await command.ExecuteScalarAsync().WaitAsync(RelayTestClient.Timeout), CultureInfo.InvariantCulture);
        var (token, hash) = SessionToken.Create();
        var now = DateTimeOffset.UtcNow;
        await new SqlSessionTokenStore(database).CreateAsync(hash, new AccountId(id), now, now + (lifetime ?? TimeSpan.FromDays(1)), CancellationToken.None)
            .WaitAsync(RelayTestClient.Timeout);
        return new TestUser(id, username, token);
    }
}
