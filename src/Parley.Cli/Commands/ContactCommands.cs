using System.CommandLine;
using System.Text.Json.Nodes;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Contacts;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>contacts request|accept|decline|remove|list</c>, <c>block</c>, <c>unblock</c>.</summary>
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
            await using var client = ctx.Resume();
            var user = ctx.Get(requestUser);
            await client.Contacts.RequestAsync(user, ctx.Get(Note), ct).ConfigureAwait(false);
            return Done(ctx, user, "requested", $"Contact request sent to {user}.");
        });
        contacts.Add(request);
        contacts.Add(Simple("accept", "Accept a contact request.", "accepted", (c, u, ct) => c.AcceptAsync(u, ct), "{0} is now a contact."));
        contacts.Add(Simple("decline", "Decline a contact request.", "declined", (c, u, ct) => c.DeclineAsync(u, ct), "Declined the request from {0}."));
        contacts.Add(Simple("remove", "Remove a contact (you can no longer message each other).", "removed", (c, u, ct) => c.RemoveAsync(u, ct), "Removed {0} from your contacts."));
        var list = new Command("list", "List your contacts and pending requests.");
        list.SetAction(ListAsync);
        contacts.Add(list);
        return contacts;
    }

    public static Command Block() =>
        Simple("block", "Block a user: no messages or requests from them reach you.", "blocked", (c, u, ct) => c.BlockAsync(u, ct), "Blocked {0}.");

    public static Command Unblock() =>
        Simple("unblock", "Unblock a user.", "unblocked", (c, u, ct) => c.UnblockAsync(u, ct), "Unblocked {0}.");

    private static Command Simple(string name, string description, string verb, Func<Parley.Client.Contacts.ContactService, string, CancellationToken, Task> action, string format)
    {
        var user = CommandTree.UserArgument("The other user.");
        var command = new Command(name, description) { user };
        command.SetAction(async (ctx, ct) =>
        {
            await using var client = ctx.Resume();
            var who = ctx.Get(user);
            await action(client.Contacts, who, ct).ConfigureAwait(false);
            return Done(ctx, who, verb, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, who));
        });
        return command;
    }

    private static int Done(CommandContext ctx, string user, string verb, string text)
    {
        AccountCommands.Print(ctx, new JsonObject { ["user"] = user, ["result"] = verb }, text);
        return 0;
    }

    private static async Task<int> ListAsync(CommandContext ctx, CancellationToken ct)
    {
        await using var client = ctx.Resume();
        IReadOnlyList<Contact> contacts;
        try
        {
            contacts = await client.Contacts.RefreshAsync(ct).ConfigureAwait(false);
        }
        catch (Client.Errors.ParleyClientException e) when (e.Kind == Client.Errors.ClientErrorKind.ServerUnreachable)
        {
            ctx.Output.Warn("The server cannot be reached; showing the contacts saved on this device.");
            contacts = await client.Contacts.ListAsync(ct).ConfigureAwait(false);
        }

        if (ctx.Json)
        {
            foreach (var c in contacts)
            {
                CliOutput.JsonLine(new JsonObject
                {
                    ["user"] = c.UserName,
                    ["state"] = StateName(c.State),
                    ["blocked"] = c.BlockedByMe,
                    ["verified"] = c.Verified,
                    ["keyChanged"] = c.KeyChanged,
                    ["note"] = c.Note,
                });
            }

            return 0;
        }

        if (contacts.Count == 0)
        {
            ctx.Output.Line("No contacts yet. Send a request with 'parley contacts request USER'.");
            return 0;
        }

        var table = new Table().AddColumns("User", "State", "Identity");
        foreach (var c in contacts)
        {
            var state = c.BlockedByMe ? "blocked" : StateName(c.State);
            var identity = c.KeyChanged ? "[bold red]KEY CHANGED[/]" : c.Verified ? "[green]verified[/]" : c.IdentityKey is null ? "-" : "not verified";
            table.AddRow(Markup.Escape(c.UserName), Markup.Escape(state), identity);
        }

        ctx.Output.Console.Write(table);
        return 0;
    }

    internal static string StateName(ContactState state) => state switch
    {
        ContactState.Accepted => "contact",
        ContactState.RequestSent => "request sent",
        ContactState.RequestReceived => "request received",
        _ => "none",
    };
}
