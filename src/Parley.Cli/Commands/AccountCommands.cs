using System.CommandLine;
using System.Text.Json.Nodes;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;

namespace Parley.Cli.Commands;

/// <summary><c>logout</c>, <c>whoami</c>, <c>password</c>, <c>account delete</c>.</summary>
internal static class AccountCommands
{
    private static readonly Option<bool> PasswordStdin = new("--password-stdin")
    {
        Description = "Read the password(s) from standard input, one per line, instead of prompting.",
    };

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
            var password = PasswordReader.Read(ctx.Get(PasswordStdin));
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

    public static Command Password()
    {
        var command = new Command("password", "Change your password; every other session of the account is logged out, this one stays.") { PasswordStdin };
        command.SetAction(async (ctx, ct) =>
        {
            await using var client = ctx.Resume();
            var name = client.User.Value;
            var fromStdin = ctx.Get(PasswordStdin);
            var current = PasswordReader.Read(fromStdin, "Current password:");
            var replacement = PasswordReader.ReadNew(fromStdin, name, "New password:");
            await client.Accounts.ChangePasswordAsync(current, replacement, ct).ConfigureAwait(false);
            Print(ctx, new JsonObject { ["user"] = name, ["passwordChanged"] = true }, $"Changed the password of {name}; other sessions were logged out.");
            return 0;
        });
        return command;
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
