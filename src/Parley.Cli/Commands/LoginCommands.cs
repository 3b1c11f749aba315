using System.CommandLine;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>register</c> and <c>login</c>: server trust, the password, and the profile's identity.</summary>
internal static class LoginCommands
{
    private static readonly Option<string> RegisterServer = new("--server")
    {
        Description = "The server's address, e.g. https://chat.example.org:8443.",
        Required = true,
        HelpName = "URL",
    };

    private static readonly Option<string?> LoginServer = new("--server")
    {
        Description = "The server's address, e.g. https://chat.example.org:8443 (default: the server of this home's profile for the user).",
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

    private static readonly Option<bool> ReplaceIdentity = new("--replace-identity")
    {
        Description = "Make this home's identity the account's: in a home with no keys for the account, a new identity replaces the old one (the home that has the old keys stops receiving messages); in a home whose identity was replaced elsewhere, its identity is published again.",
    };

    public static Command Register()
    {
        var user = CommandTree.UserArgument("The user name to register.");
        var command = new Command("register", "Create an account on a server, upload your public keys, and log in.") { user, RegisterServer, PasswordStdin, TrustServer };
        command.SetAction((ctx, ct) => RegisterAsync(ctx, ctx.Get(user), ct));
        return command;
    }

    public static Command Login()
    {
        var user = CommandTree.UserArgument("Your user name.");
        var command = new Command("login", "Log in to your account and unlock your local store until you log out.") { user, LoginServer, PasswordStdin, TrustServer, ReplaceIdentity };
        command.SetAction((ctx, ct) => LoginAsync(ctx, ctx.Get(user), ct));
        return command;
    }

    private static async Task<int> RegisterAsync(CommandContext ctx, string userText, CancellationToken ct)
    {
        var user = UserName.Parse(userText);
        var server = ParseServer(ctx.Get(RegisterServer)!);
        if (ctx.Home.GetProfile(user).Exists)
        {
            throw CliException.From(ClientErrorKind.ProfileExists);
        }

        var trust = await DecideTrustAsync(ctx, user, server, ct).ConfigureAwait(false);
        var password = PasswordReader.ReadNew(ctx.Get(PasswordStdin), user.Value);
        await using var api = ctx.OpenApi();
        var result = await api.RegisterAsync(Params(user, server, password, trust), ct).ConfigureAwait(false);
        return Done(ctx, result, $"Registered {user.Value} on {result.Server}.");
    }

    private static async Task<int> LoginAsync(CommandContext ctx, string userText, CancellationToken ct)
    {
        var user = UserName.Parse(userText);
        var profile = ctx.Home.GetProfile(user);
        var server = ctx.Get(LoginServer) is { } given ? ParseServer(given)
            : profile.Exists ? profile.ReadSettings().Server
            : throw CliException.Usage($"This home has no profile for {user.Value} yet; say which server with --server URL.");
        var fromStdin = ctx.Get(PasswordStdin);
        var interactive = !fromStdin && !Console.IsInputRedirected;
        if (!profile.Exists && !ctx.Get(ReplaceIdentity) && !ConfirmNewIdentity(ctx, user, interactive))
        {
            throw new CliException(
                $"This home has no keys for {user.Value}. Parley has one identity per account and no linked devices yet: logging in here would create a new identity, your contacts would see a key change, and the home that has {user.Value}'s keys would stop receiving messages. Log in from that home, or pass --replace-identity to replace the identity.",
                ExitCodes.Failure,
                "identity-would-be-replaced");
        }

        var trust = await DecideTrustAsync(ctx, user, server, ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var password = PasswordReader.Read(fromStdin);
            try
            {
                await using var api = ctx.OpenApi();
                var result = await api.LoginAsync(Params(user, server, password, trust, profile.Exists && ctx.Get(ReplaceIdentity)), ct).ConfigureAwait(false);
                return Done(ctx, result, $"Logged in as {user.Value} on {result.Server}.");
            }
            catch (ParleyClientException e) when (e.Kind == ClientErrorKind.WrongPassword && interactive && attempt < PasswordReader.MaxTries)
            {
                ctx.Output.Warn($"The user name or password is wrong; try again ({PasswordReader.MaxTries - attempt} more).");
            }
        }
    }

    private static bool ConfirmNewIdentity(CommandContext ctx, UserName user, bool interactive)
    {
        if (!interactive)
        {
            return false;
        }

        var console = ctx.Output.Errors;
        console.MarkupLine($"[bold yellow]This home has no keys for {Markup.Escape(user.Value)}.[/]");
        console.MarkupLine("Parley has one identity per account and no linked devices yet. Logging in here creates a new identity:");
        console.MarkupLine("your contacts will see a key change, and the home that has the old keys will stop receiving messages.");
        return console.Prompt(new ConfirmationPrompt("Replace the identity and log in here?") { DefaultValue = false });
    }

    private static Uri ParseServer(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps || server.Host.Length == 0)
        {
            throw CliException.Usage($"The server address '{text}' must start with https:// (e.g. https://chat.example.org:8443).");
        }

        return server;
    }

    /// <summary>Decides about the server before asking for the password: nothing secret is typed for a server not yet trusted.</summary>
    private static async Task<ServerTrustPolicy> DecideTrustAsync(CommandContext ctx, UserName user, Uri server, CancellationToken ct)
    {
        var interactive = !ctx.Get(PasswordStdin) && !Console.IsInputRedirected;
        var trust = ServerTrustPrompt.Policy(ctx, ctx.Get(TrustServer), interactive);
        if (trust.ConfirmFirstUse is { } ask && !ctx.Home.GetProfile(user).Exists)
        {
            var seen = await ParleyClient.ProbeServerAsync(server, ctx.Options, ct).ConfigureAwait(false);
            trust = ask(seen) ? new ServerTrustPolicy(seen, null) : throw new ParleyClientException(ClientErrorKind.CertificateNotTrusted);
        }

        return trust;
    }

    /// <summary>The API's parameters: the trust decision travels as the fingerprint to pin (none for a profile that has one).</summary>
    private static AccountParams Params(UserName user, Uri server, string password, ServerTrustPolicy trust, bool replaceIdentity = false) =>
        new() { User = user.Value, Server = server.ToString(), Password = password, TrustServer = trust.Expected?.ToString(), ReplaceIdentity = replaceIdentity };

    private static int Done(CommandContext ctx, AccountResult result, string text)
    {
        AccountCommands.Print(ctx, result, text);
        return 0;
    }
}
