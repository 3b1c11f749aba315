using System.CommandLine;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Daemon.Api;

namespace Parley.Cli.Commands;

/// <summary><c>register</c>, <c>login</c>, <c>logout</c>, <c>whoami</c>.</summary>
internal static class AccountCommands
{
    private static readonly Option<string> Server = new("--server")
    {
        Description = "The server's address, e.g. https://chat.example.org:8443.",
        Required = true,
        HelpName = "URL",
    };

    private static readonly Option<bool> PasswordStdin = new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input instead of prompting.",
    };

    private static readonly Option<string?> TrustServer = new("--trust-server")
    {
        Description = "Trust the server's certificate only if its fingerprint is this one (required when there is no terminal to ask).",
        HelpName = "SHA256:HEX",
    };

    public static Command Register()
    {
        var user = CommandTree.UserArgument("The user name to register.");
        var command = new Command("register", "Create an account on a server, upload your public keys, and log in.") { user, Server, PasswordStdin, TrustServer };
        command.SetAction((ctx, ct) => RunAsync(ctx, ctx.Get(user), register: true, ct));
        return command;
    }

    public static Command Login()
    {
        var user = CommandTree.UserArgument("Your user name.");
        var command = new Command("login", "Log in to your account and unlock your local store until you log out.") { user, Server, PasswordStdin, TrustServer };
        command.SetAction((ctx, ct) => RunAsync(ctx, ctx.Get(user), register: false, ct));
        return command;
    }

    public static Command Logout()
    {
        var command = new Command("logout", "Revoke the server session and forget the unlocked keys on this machine.");
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var result = await api.LogoutAsync(ctx.ProfileParams(), ct).ConfigureAwait(false);
            Print(ctx, result, $"Logged out {result.User}.");
            return 0;
        });
        return command;
    }

    public static Command Account()
    {
        var account = new Command("account", "Manage your account.");
        var delete = new Command("delete", "Delete your account on the server and this profile's local data (asks for the password again).") { PasswordStdin };
        delete.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var password = PasswordReader.Read(ctx.Get(PasswordStdin), confirm: false);
            var result = await api.DeleteAccountAsync(new AccountDeleteParams { Profile = ctx.Profile, Password = password }, ct).ConfigureAwait(false);
            Print(ctx, result, $"Deleted the account {result.User} and its local data.");
            return 0;
        });
        account.Add(delete);
        return account;
    }

    public static Command WhoAmI()
    {
        var command = new Command("whoami", "Show the logged-in user, the server and its pinned certificate fingerprint.");
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var me = await api.WhoAmIAsync(ctx.ProfileParams(), ct).ConfigureAwait(false);
            Print(ctx, me, $"{me.User} on {me.Server} (certificate {me.Fingerprint})");
            return 0;
        });
        return command;
    }

    private static async Task<int> RunAsync(CommandContext ctx, string userText, bool register, CancellationToken ct)
    {
        var user = UserName.Parse(userText);
        if (!Uri.TryCreate(ctx.Get(Server), UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps || server.Host.Length == 0)
        {
            throw new CliException("The server address must start with https://.");
        }

        // Decide about the server before asking for the password: nothing secret is typed for a server not yet trusted.
        var interactive = !ctx.Get(PasswordStdin) && !Console.IsInputRedirected;
        var trust = ServerTrustPrompt.Policy(ctx, ctx.Get(TrustServer), interactive);
        if (trust.ConfirmFirstUse is { } ask && !ctx.Home.GetProfile(user).Exists)
        {
            var seen = await ParleyClient.ProbeServerAsync(server, ctx.Options, ct).ConfigureAwait(false);
            trust = ask(seen) ? new ServerTrustPolicy(seen, null) : throw new ParleyClientException(ClientErrorKind.CertificateNotTrusted);
        }

        var password = PasswordReader.Read(ctx.Get(PasswordStdin), confirm: register);
        if (register && PasswordPolicy.Check(password, user.Value) is { } reason)
        {
            throw new CliException(reason);
        }

        await using var api = ctx.OpenApi();
        var p = new AccountParams { User = user.Value, Server = server.ToString(), Password = password, TrustServer = trust.Expected?.ToString() };
        var result = register ? await api.RegisterAsync(p, ct).ConfigureAwait(false) : await api.LoginAsync(p, ct).ConfigureAwait(false);
        var verb = register ? "Registered" : "Logged in as";
        Print(ctx, result, $"{verb} {user.Value} on {result.Server}.");
        return 0;
    }

    internal static void Print(CommandContext ctx, AccountResult result, string text) => Print(ctx, result, ApiJsonContext.Default.AccountResult, text);

    internal static void Print<T>(CommandContext ctx, T result, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, string text)
    {
        if (ctx.Json)
        {
            CliOutput.JsonLine(result, info);
        }
        else
        {
            ctx.Output.Line(text);
        }
    }
}
