using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Files;

/// <summary>
/// Real accounts for file tests: an account row and a session in the server's own stores, and an
/// HttpClient carrying that session's bearer token (the same path a logged-in client takes).
/// </summary>
public static class FileTestAccounts
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<(HttpClient Client, AccountId Account)> CreateAsync(ParleyServerFactory factory, string username)
    {
        var client = factory.CreateClient();
        var database = factory.Services.GetRequiredService<IDatabase>();
        AccountId account;
        await using (var connection = await database.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Timeout))
        {
            await using var command = connection.CreateCommand(
                "INSERT INTO accounts (username, srp_salt, verifier, argon_salt, argon_memory_kib, argon_iterations, argon_parallelism, created_at) " +
                "VALUES (@u, @s, @s, @s, 1024, 1, 1, 0) RETURNING id").With("u", username).With("s", new byte[] { 1 });
            account = new AccountId(Convert.ToInt64(await command.ExecuteScalarAsync().WaitAsync(Timeout), System.Globalization.CultureInfo.InvariantCulture));
        }

        var (token, hash) = SessionToken.Create();
        var now = DateTimeOffset.UtcNow;
        await factory.Services.GetRequiredService<ISessionTokenStore>()
            .CreateAsync(hash, account, now, now.AddDays(1), CancellationToken.None).WaitAsync(Timeout);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, account);
    }
}
