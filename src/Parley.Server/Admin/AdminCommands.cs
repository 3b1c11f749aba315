using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Keys;
using Parley.Server.Storage;

namespace Parley.Server.Admin;

/// <summary>
/// The administrator's commands of <c>parley-server</c>: <c>fingerprint</c>, <c>users add NAME</c>,
/// <c>invites create</c>. They read the same configuration as the server (so <c>--data</c> and
/// <c>PARLEY_Storage__…</c> apply), apply migrations, and exit without listening.
/// </summary>
public static class AdminCommands
{
    /// <summary>Most invites one <c>invites create</c> makes.</summary>
    public const int MaxInviteCount = 1000;

    /// <summary>Longest invite validity in days.</summary>
    public const int MaxInviteDays = 365;

    /// <summary><c>fingerprint</c>.</summary>
    public static Command Fingerprint()
    {
        var command = new Command("fingerprint",
            "Print the TLS certificate fingerprint (SHA256:…) that clients pin with --trust-server; creates the self-signed certificate if there is none yet.");
        command.SetAction((parse, _) => RunAsync(parse, migrate: false, services =>
        {
            Console.Out.WriteLine(services.GetRequiredService<ServerCertificate>().Fingerprint);
            return Task.FromResult(0);
        }));
        return command;
    }

    /// <summary><c>users add NAME [--password-stdin]</c>.</summary>
    public static Command Users()
    {
        var name = new Argument<string>("NAME") { Description = "The username: 3-32 characters of a-z, 0-9, '_', '.', '-'." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of asking." };
        var add = new Command("add", "Create an account (also when registration is closed or by invitation); asks for its password.") { name, passwordStdin };
        add.SetAction((parse, _) => RunAsync(parse, migrate: true,
            services => AddUserAsync(services, parse.GetValue(name)!, parse.GetValue(passwordStdin))));
        return new Command("users", "Manage accounts.") { add };
    }

    /// <summary><c>invites create [--count N] [--days D]</c>.</summary>
    public static Command Invites()
    {
        var count = new Option<int>("--count") { Description = "How many invite codes to create (1-" + MaxInviteCount + ").", DefaultValueFactory = _ => 1, HelpName = "N" };
        var days = new Option<int>("--days") { Description = "Days each code stays valid (1-" + MaxInviteDays + ").", DefaultValueFactory = _ => 7, HelpName = "D" };
        count.Validators.Add(r => Range(r, r.GetValueOrDefault<int>(), MaxInviteCount, "--count"));
        days.Validators.Add(r => Range(r, r.GetValueOrDefault<int>(), MaxInviteDays, "--days"));
        var create = new Command("create", "Print new single-use invite codes, one per line (for Accounts:RegistrationPolicy=Invite).") { count, days };
        create.SetAction((parse, _) => RunAsync(parse, migrate: true,
            services => CreateInvitesAsync(services, parse.GetValue(count), parse.GetValue(days))));
        return new Command("invites", "Manage invite codes.") { create };
    }

    private static void Range(System.CommandLine.Parsing.OptionResult result, int value, int max, string name)
    {
        if (value < 1 || value > max)
        {
            result.AddError(name + " must be between 1 and " + max + ".");
        }
    }

    /// <summary>Builds the admin host on the command's configuration, runs <paramref name="body"/>, reports start-up failures.</summary>
    private static async Task<int> RunAsync(ParseResult parse, bool migrate, Func<IServiceProvider, Task<int>> body)
    {
        try
        {
            var builder = ParleyHost.CreateBuilder(ServerCommandLine.Configuration(parse));
            builder.Services.AddStorage();
            builder.Services.AddTokenAuthentication();
            builder.Services.AddAccounts();
            builder.Services.AddKeys();
            await using var app = builder.Build();
            app.CheckConfiguration(serving: false);
            if (migrate)
            {
                await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
            }
            return await body(app.Services).ConfigureAwait(false);
        }
        catch (Exception exception) when (StartupFailure.Describe(exception) is not null)
        {
            return StartupFailure.Report(exception);
        }
    }

    private static async Task<int> AddUserAsync(IServiceProvider services, string name, bool passwordStdin)
    {
        if (!Usernames.TryNormalize(name, out var username))
        {
            await Console.Error.WriteLineAsync("parley-server: Username must be 3-32 characters of a-z, 0-9, '_', '.', '-'.").ConfigureAwait(false);
            return ServerCommandLine.UsageExitCode;
        }
        var password = passwordStdin ? Console.In.ReadLine() : PasswordPrompt.Read("Password for " + username + ": ");
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync("parley-server: An empty password is not allowed.").ConfigureAwait(false);
            return ServerCommandLine.UsageExitCode;
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
            await Console.Error.WriteLineAsync("parley-server: That username is taken.").ConfigureAwait(false);
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
}
