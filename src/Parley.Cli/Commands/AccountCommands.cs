using System.CommandLine;
using System.Text.Json.Nodes;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;

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
            await using var client = ctx.Resume();
            var name = client.User.Value;
            await client.Accounts.LogoutAsync(ct).ConfigureAwait(false);
            Print(ctx, new JsonObject { ["user"] = name, ["loggedIn"] = false }, $"Logged out {name}.");
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
            await using var client = ctx.Resume();
            var name = client.User.Value;
            var password = PasswordReader.Read(ctx.Get(PasswordStdin), confirm: false);
            await client.Accounts.DeleteAccountAsync(password, ct).ConfigureAwait(false);
            Print(ctx, new JsonObject { ["user"] = name, ["deleted"] = true }, $"Deleted the account {name} and its local data.");
            return 0;
        });
        account.Add(delete);
        return account;
    }

    public static Command WhoAmI()
    {
        var command = new Command("whoami", "Show the logged-in user, the server and its pinned certificate fingerprint.");
        command.SetAction(async (ctx, _) =>
        {
            await using var client = ctx.Resume();
            Print(
                ctx,
                new JsonObject { ["user"] = client.User.Value, ["server"] = client.Server.ToString(), ["fingerprint"] = client.ServerFingerprint.ToString() },
                $"{client.User.Value} on {client.Server} (certificate {client.ServerFingerprint})");
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

        var home = ctx.Home;
        await using var client = register
            ? await ParleyClient.RegisterAsync(home, user, server, password, trust, ctx.Options, ct).ConfigureAwait(false)
            : await ParleyClient.LoginAsync(home, user, server, password, trust, ctx.Options, ct).ConfigureAwait(false);
        var verb = register ? "Registered" : "Logged in as";
        Print(
            ctx,
            new JsonObject { ["user"] = user.Value, ["server"] = client.Server.ToString(), ["fingerprint"] = client.ServerFingerprint.ToString(), ["loggedIn"] = true },
            $"{verb} {user.Value} on {client.Server}.");
        return 0;
    }

    internal static void Print(CommandContext ctx, JsonObject json, string text)
    {
        if (ctx.Json)
        {
            CliOutput.JsonLine(json);
        }
        else
        {
            ctx.Output.Line(text);
        }
    }
}
