using System.CommandLine;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Daemon.Api;

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
            var password = PasswordReader.Read(ctx.Get(PasswordStdin));
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

    public static Command Password()
    {
        var command = new Command("password", "Change your password; every other session of the account is logged out, this one stays.") { PasswordStdin };
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var fromStdin = ctx.Get(PasswordStdin);
            var name = (await api.WhoAmIAsync(ctx.ProfileParams(), ct).ConfigureAwait(false)).User;
            var current = PasswordReader.Read(fromStdin, "Current password:");
            var replacement = PasswordReader.ReadNew(fromStdin, name, "New password:");
            var result = await api.ChangePasswordAsync(new AccountPasswordParams { Profile = ctx.Profile, Password = current, NewPassword = replacement }, ct).ConfigureAwait(false);
            Print(ctx, result, $"Changed the password of {result.User}; other sessions were logged out.");
            return 0;
        });
        return command;
    }

    internal static void Print(CommandContext ctx, System.Text.Json.Nodes.JsonObject json, string text)
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
