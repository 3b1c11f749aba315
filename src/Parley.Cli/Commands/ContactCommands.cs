using System.CommandLine;
using Parley.Cli.Output;
using Parley.Daemon.Api;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>contacts request|accept|decline|remove|list</c>, <c>block</c>, <c>unblock</c>, <c>online</c>.</summary>
internal static class ContactCommands
{
    private static readonly Option<string?> Note = new("--note")
    {
        Description = "A short note shown with the request (at most 280 characters).",
        HelpName = "TEXT",
    };

    public static Command Contacts()
    {
        var contacts = new Command("contacts", "Manage your contacts: only contacts can message each other.");
        var requestUser = CommandTree.UserArgument("The user to ask.");
        var request = new Command("request", "Send a contact request.") { requestUser, Note };
        request.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var result = await api.RequestContactAsync(new ContactRequestParams { Profile = ctx.Profile, User = ctx.Get(requestUser), Note = ctx.Get(Note) }, ct).ConfigureAwait(false);
            return Done(ctx, result, $"Contact request sent to {result.User}.");
        });
        contacts.Add(request);
        contacts.Add(Simple("accept", ApiMethods.ContactsAccept, "Accept a contact request.", "{0} is now a contact."));
        contacts.Add(Simple("decline", ApiMethods.ContactsDecline, "Decline a contact request.", "Declined the request from {0}."));
        contacts.Add(Simple("remove", ApiMethods.ContactsRemove, "Remove a contact (you can no longer message each other).", "Removed {0} from your contacts."));
        var list = new Command("list", "List your contacts and pending requests.");
        list.SetAction(ListAsync);
        contacts.Add(list);
        return contacts;
    }

    public static Command Block() => Simple("block", ApiMethods.Block, "Block a user: no messages or requests from them reach you.", "Blocked {0}.");

    public static Command Unblock() => Simple("unblock", ApiMethods.Unblock, "Unblock a user.", "Unblocked {0}.");

    public static Command Online()
    {
        var command = new Command("online", "List the contacts connected right now (contacts only, never strangers).");
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var result = await api.OnlineAsync(ctx.ProfileParams(), ct).ConfigureAwait(false);
            AccountCommands.Print(ctx, result, ApiJsonContext.Default.OnlineResult, result.Online.Count == 0 ? "No contacts are online." : string.Join('\n', result.Online));
            return 0;
        });
        return command;
    }

    private static Command Simple(string name, string method, string description, string format)
    {
        var user = CommandTree.UserArgument("The other user.");
        var command = new Command(name, description) { user };
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var result = await api.ContactActionAsync(method, new UserParams { Profile = ctx.Profile, User = ctx.Get(user) }, ct).ConfigureAwait(false);
            return Done(ctx, result, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, result.User));
        });
        return command;
    }

    private static int Done(CommandContext ctx, ContactActionResult result, string text)
    {
        AccountCommands.Print(ctx, result, ApiJsonContext.Default.ContactActionResult, text);
        return 0;
    }

    private static async Task<int> ListAsync(CommandContext ctx, CancellationToken ct)
    {
        await using var api = ctx.OpenApi();
        var result = await api.ListContactsAsync(ctx.ProfileParams(), ct).ConfigureAwait(false);
        if (result.Offline)
        {
            ctx.Output.Warn("The server cannot be reached; showing the contacts saved on this device.");
        }

        if (ctx.Json)
        {
            foreach (var c in result.Contacts)
            {
                CliOutput.JsonLine(c, ApiJsonContext.Default.ContactView);
            }

            return 0;
        }

        if (result.Contacts.Count == 0)
        {
            ctx.Output.Line("No contacts yet. Send a request with 'parley contacts request USER'.");
            return 0;
        }

        var table = new Table().AddColumns("User", "State", "Identity");
        foreach (var c in result.Contacts)
        {
            var state = c.Blocked ? "blocked" : c.State;
            var identity = c.KeyChanged ? "[bold red]KEY CHANGED[/]" : c.Verified ? "[green]verified[/]" : c.IdentityKnown ? "not verified" : "-";
            table.AddRow(Markup.Escape(c.User), Markup.Escape(state), identity);
        }

        ctx.Output.Console.Write(table);
        return 0;
    }
}
