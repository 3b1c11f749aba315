using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Keys;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Admin;

/// <summary>
/// The administrator's sub-commands of <c>parley-server</c>: <c>fingerprint</c>,
/// <c>users add NAME [--password-stdin]</c>, <c>invites create [--count N] [--days D]</c>. They read
/// the same configuration as the server (so <c>--data</c> and <c>PARLEY_Storage__…</c> apply), apply
/// migrations, and exit without listening.
/// </summary>
public static class AdminCommands
{
    private const string Usage =
        "usage: parley-server fingerprint [--data DIR]\n" +
        "       parley-server users add NAME [--password-stdin] [--data DIR]\n" +
        "       parley-server invites create [--count N] [--days D] [--data DIR]";

    /// <summary>True when the first argument names an admin command.</summary>
    public static bool IsAdminCommand(string[] args) =>
        args is { Length: > 0 } && args[0] is "fingerprint" or "users" or "invites" or "stats";

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = args[0];
        var rest = args[1..].ToList();
        if (command == "stats")
        {
            return await Relay.StatsCommand.RunAsync(rest).ConfigureAwait(false);
        }

        var sub = command != "fingerprint" && rest.Count > 0 ? rest[0] : null;
        if (sub is not null)
        {
            rest.RemoveAt(0);
        }
        string? name = null;
        if (command == "users" && rest.Count > 0 && !rest[0].StartsWith('-'))
        {
            name = rest[0];
            rest.RemoveAt(0);
        }
        var passwordStdin = rest.Remove("--password-stdin");
        var count = TakeInt(rest, "--count", 1);
        var days = TakeInt(rest, "--days", 7);

        var builder = ParleyHost.CreateBuilder([.. rest]);
        builder.Services.AddStorage();
        builder.Services.AddTokenAuthentication();
        builder.Services.AddAccounts();
        builder.Services.AddKeys();
        await using var app = builder.Build();
        switch (command, sub)
        {
            case ("fingerprint", null):
                Console.Out.WriteLine(app.Services.GetRequiredService<ServerCertificate>().Fingerprint);
                return 0;
            case ("users", "add") when name is not null:
                await MigrateAsync(app).ConfigureAwait(false);
                return await AddUserAsync(app.Services, name, passwordStdin).ConfigureAwait(false);
            case ("invites", "create") when count is >= 1 and <= 1000 && days is >= 1 and <= 365:
                await MigrateAsync(app).ConfigureAwait(false);
                return await CreateInvitesAsync(app.Services, count, days).ConfigureAwait(false);
            default:
                await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                return 2;
        }
    }

    private static async Task<int> AddUserAsync(IServiceProvider services, string name, bool passwordStdin)
    {
        if (!Usernames.TryNormalize(name, out var username))
        {
            await Console.Error.WriteLineAsync("Username must be 3-32 characters of a-z, 0-9, '_', '.', '-'.").ConfigureAwait(false);
            return 2;
        }
        var password = passwordStdin ? Console.In.ReadLine() : PasswordPrompt.Read("Password for " + username + ": ");
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync("An empty password is not allowed.").ConfigureAwait(false);
            return 2;
        }
        var options = services.GetRequiredService<IOptions<AccountOptions>>().Value;
        var argon = new Argon2Parameters(
            Math.Max(options.MinArgon2MemoryKiB, Argon2Parameters.Default.MemoryKiB),
            Math.Max(options.MinArgon2Iterations, Argon2Parameters.Default.Iterations), 1);
        var credentials = SrpRegistration.Create(username, password, argon);
        var created = await services.GetRequiredService<AccountService>()
            .CreateByAdminAsync(username, credentials, CancellationToken.None).ConfigureAwait(false);
        if (!created)
        {
            await Console.Error.WriteLineAsync("That username is taken.").ConfigureAwait(false);
            return 1;
        }
        Console.Out.WriteLine("Created account " + username);
        return 0;
    }

    private static async Task<int> CreateInvitesAsync(IServiceProvider services, int count, int days)
    {
        var store = services.GetRequiredService<IAccountStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            await store.CreateInviteAsync(AccountService.HashInvite(code), now, now.AddDays(days), CancellationToken.None).ConfigureAwait(false);
            Console.Out.WriteLine(code);
        }
        return 0;
    }

    private static Task<int> MigrateAsync(WebApplication app) =>
        app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);

    private static int TakeInt(List<string> args, string option, int fallback)
    {
        var index = args.IndexOf(option);
        if (index < 0 || index + 1 >= args.Count)
        {
            return fallback;
        }
        var ok = int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value);
        args.RemoveRange(index, 2);
        return ok ? value : -1;
    }
}
