using System.CommandLine;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client.Errors;
using Parley.Daemon.Api;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley shell</c>: a menu for people who do not want to remember commands (seed 004's list /
/// connect / disconnect / message / exit), on the same API as every other command. New messages and
/// events are printed before each prompt. A failed action prints its sentence and the shell goes on.
/// </summary>
internal static class ShellCommand
{
    /// <summary>The longest input line the shell reads (a message is capped by the send rules after this).</summary>
    public const int MaxLineLength = 16 * 1024;

    private static readonly (string Keys, string Help)[] Menu =
    [
        ("/l", "list the contacts online now"),
        ("/c", "list all contacts"),
        ("/cc USER [NOTE]", "connect: ask USER to be your contact (accepts their request if they asked first)"),
        ("/dc USER", "disconnect: end the secure session with USER"),
        ("/m USER TEXT", "send TEXT to USER"),
        ("/h USER", "show the conversation with USER"),
        ("/r", "check for new messages now"),
        ("/?", "show this menu"),
        ("/q", "exit"),
    ];

    public static Command Create()
    {
        var command = new Command("shell", "An interactive menu: list, connect, disconnect, message, exit — for people who don't want to remember commands.");
        command.SetAction(async (ctx, ct) =>
        {
            await using var api = ctx.OpenApi();
            var me = await api.StatusAsync(ctx.ProfileParams(), ct).ConfigureAwait(false);
            var printer = new EventPrinter(ctx.Output);
            ctx.Output.Line($"Parley shell: {me.User} on {me.Server}. Type /? for the menu, /q to leave.");
            PrintMenu(ctx.Output);
            while (!ct.IsCancellationRequested)
            {
                await ReceiveAsync(ctx, api, printer, quiet: true, ct).ConfigureAwait(false);
                Console.Out.Write("> ");
                Console.Out.Flush();
                var line = await Console.In.ReadLineAsync(ct).ConfigureAwait(false);
                if (line is null || line.Trim() is "/q" or "/quit" or "/exit")
                {
                    break;
                }

                await RunLineAsync(ctx, api, printer, line, ct).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static async Task RunLineAsync(CommandContext ctx, IParleyApi api, EventPrinter printer, string line, CancellationToken ct)
    {
        if (line.Length > MaxLineLength)
        {
            ctx.Output.Warn($"That line is longer than {MaxLineLength} characters; nothing was done.");
            return;
        }

        var words = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return;
        }

        try
        {
            switch (words[0])
            {
                case "/l":
                    var online = (await api.OnlineAsync(ctx.ProfileParams(), ct).ConfigureAwait(false)).Online;
                    ctx.Output.Line(online.Count == 0 ? "No contact is online." : "Online: " + string.Join(", ", online));
                    break;
                case "/c":
                    var contacts = (await api.ListContactsAsync(ctx.ProfileParams(), ct).ConfigureAwait(false)).Contacts;
                    ctx.Output.Line(contacts.Count == 0 ? "No contacts yet: /cc USER asks someone." : string.Join(Environment.NewLine, contacts.Select(c => $"  {c.User} ({c.State}{(c.Verified ? ", verified" : string.Empty)}{(c.KeyChanged ? ", KEY CHANGED" : string.Empty)})")));
                    break;
                case "/cc" when words.Length >= 2:
                    await ConnectAsync(ctx, api, words[1], words.Length > 2 ? words[2] : null, ct).ConfigureAwait(false);
                    break;
                case "/dc" when words.Length == 2:
                    var ended = await api.DisconnectAsync(new UserParams { Profile = ctx.Profile, User = words[1] }, ct).ConfigureAwait(false);
                    ctx.Output.Line(ended.Ended ? $"Ended the secure session with {words[1]}." : $"There is no secure session with {words[1]}.");
                    break;
                case "/m" when words.Length == 3:
                    await api.SendAsync(new SendParams { Profile = ctx.Profile, To = words[1], Text = words[2] }, ct).ConfigureAwait(false);
                    ctx.Output.Line($"sent to {words[1]}");
                    break;
                case "/h" when words.Length == 2:
                    var history = (await api.HistoryAsync(new HistoryParams { Profile = ctx.Profile, User = words[1], Limit = 20 }, ct).ConfigureAwait(false)).Messages;
                    foreach (var message in history)
                    {
                        printer.PrintMessage(message);
                    }

                    if (history.Count == 0)
                    {
                        ctx.Output.Line($"No messages with {words[1]} yet.");
                    }

                    break;
                case "/r":
                    await ReceiveAsync(ctx, api, printer, quiet: false, ct).ConfigureAwait(false);
                    break;
                case "/?" or "/help":
                    PrintMenu(ctx.Output);
                    break;
                default:
                    ctx.Output.Warn("Not a menu entry (or missing its USER or TEXT); /? shows the menu.");
                    break;
            }
        }
        catch (ParleyClientException e)
        {
            ctx.Output.Warn(ErrorSentences.For(e));
        }
        catch (ApiException e)
        {
            ctx.Output.Warn(e.Message);
        }
        catch (CliException e)
        {
            ctx.Output.Warn(e.Message);
        }
    }

    private static async Task ConnectAsync(CommandContext ctx, IParleyApi api, string user, string? note, CancellationToken ct)
    {
        var contacts = (await api.ListContactsAsync(ctx.ProfileParams(), ct).ConfigureAwait(false)).Contacts;
        var known = contacts.FirstOrDefault(c => string.Equals(c.User, user, StringComparison.OrdinalIgnoreCase));
        if (known is { State: "contact" })
        {
            ctx.Output.Line($"{known.User} is already your contact: /m {known.User} TEXT writes to them.");
            return;
        }

        if (known is { State: "request received" })
        {
            await api.ContactActionAsync(ApiMethods.ContactsAccept, new UserParams { Profile = ctx.Profile, User = known.User }, ct).ConfigureAwait(false);
            ctx.Output.Line($"Accepted {known.User}'s request: you are contacts now.");
            return;
        }

        await api.RequestContactAsync(new ContactRequestParams { Profile = ctx.Profile, User = user, Note = note }, ct).ConfigureAwait(false);
        ctx.Output.Line($"Asked {user} to be your contact; you can write once they accept.");
    }

    private static async Task ReceiveAsync(CommandContext ctx, IParleyApi api, EventPrinter printer, bool quiet, CancellationToken ct)
    {
        var count = 0;
        try
        {
            await api.ReceiveAsync(new ReceiveParams { Profile = ctx.Profile, Wait = 0 }, e =>
            {
                if (e.Type is not ("transfer" or "connection"))
                {
                    count++;
                }

                printer.Print(e);
            }, ct).ConfigureAwait(false);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            if (!quiet)
            {
                ctx.Output.Warn(ErrorSentences.For(e));
            }

            return;
        }

        if (count == 0 && !quiet)
        {
            ctx.Output.Line("No new messages.");
        }
    }

    private static void PrintMenu(CliOutput output)
    {
        foreach (var (keys, help) in Menu)
        {
            output.Line($"  {keys,-16} {help}");
        }
    }
}
