using System.CommandLine;
using System.Globalization;
using Parley.Cli.Chat;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Parley.Daemon.Remote;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>chat USER</c>: a live conversation with typing indicators, receipts and /commands.</summary>
internal static class ChatCommand
{
    private const string Help = "Commands: /history [N]  /verify  /quit  (anything else is sent as a message)";

    public static Command Build()
    {
        var user = CommandTree.UserArgument("The contact to chat with.");
        var command = new Command("chat", "Chat interactively: live incoming messages, typing indicators, delivery and read receipts, and /commands (/history, /verify, /quit).") { user };
        command.SetAction(RunAsync(user));
        return command;
    }

    /// <summary>
    /// Opens the conversation through the running daemon when there is one, else on a connection of
    /// its own. Either way a stranger's name is refused first, with the same error as a send to them;
    /// <paramref name="announce"/> runs after that check, before unread messages are shown.
    /// </summary>
    internal static async Task<IChat> OpenAsync(CommandContext ctx, string peer, Action announce, Action<EventView> onEvent, CancellationToken ct)
    {
        var home = ctx.Home;
        if (RemoteApi.TryConnect(home, ctx.Options.KeyCache) is { } calls)
        {
            var events = RemoteApi.TryConnect(home, ctx.Options.KeyCache);
            if (events is not null)
            {
                try
                {
                    await RequireContactAsync(calls, ctx.Profile, peer, ct).ConfigureAwait(false);
                    announce();
                    return await DaemonChat.OpenAsync(calls, events, ctx.Profile, peer, onEvent, ct).ConfigureAwait(false);
                }
                catch
                {
                    await events.DisposeAsync().ConfigureAwait(false);
                    await calls.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }

            await calls.DisposeAsync().ConfigureAwait(false);
        }

        var client = ParleyClient.Resume(home, ctx.Profile, ctx.Options);
        try
        {
            await client.Contacts.RequireContactAsync(peer, ct).ConfigureAwait(false);
            announce();
            return await LocalChat.OpenAsync(client, peer, onEvent, ct).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The daemon's contact list is refreshed from the server (or the saved one when offline).</summary>
    private static async Task RequireContactAsync(RemoteApi calls, string? profile, string peer, CancellationToken ct)
    {
        var name = UserName.Parse(peer).Value;
        var contacts = await calls.ListContactsAsync(new ProfileParams { Profile = profile }, ct).ConfigureAwait(false);
        if (!contacts.Contacts.Any(c => c.User == name && c.State == "contact"))
        {
            throw new ParleyClientException(ClientErrorKind.NotAContact);
        }
    }

    private static Func<CommandContext, CancellationToken, Task<int>> RunAsync(Argument<string> user) => async (ctx, ct) =>
    {
        var peer = ctx.Get(user);
        var editor = new LineEditor();
        var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
        var screen = new ChatScreen(Console.Out, editor, interactive, TerminalWidth);
        var output = new CliOutput(ctx.Json, screen.Writer, interactive ? TerminalWidth() : CliOutput.UnwrappedWidth);
        var printer = new EventPrinter(output);
        var console = output.Console;
        var chatEvents = new ChatEventView(console, printer, screen);
        await using var chat = await OpenAsync(
            ctx,
            peer,
            () => console.MarkupLine($"[bold]Chat with {Markup.Escape(peer)}[/] — type and press Enter. {Markup.Escape(Help)}"),
            chatEvents.Show,
            ct).ConfigureAwait(false);

        var input = new ChatInput(screen, editor, typing => _ = SafeTypingAsync(chat, typing, ct));
        var exitCode = 0;
        while (!ct.IsCancellationRequested)
        {
            var read = input.ReadLineAsync(ct);
            if (await Task.WhenAny(read, chat.Completion).ConfigureAwait(false) != read)
            {
                output.Warn("The daemon stopped; the chat ends.");
                exitCode = ErrorSentences.GeneralFailure;
                break;
            }

            var line = await read.ConfigureAwait(false);
            if (line is null || line.Trim() == "/quit")
            {
                break;
            }

            await HandleLineAsync(output, chat, printer, line, ct).ConfigureAwait(false);
        }

        if (interactive)
        {
            Console.Out.Write("\r\u001b[2K");
        }

        return exitCode;
    };

    private static int TerminalWidth()
    {
        try
        {
            return Math.Max(20, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 80;
        }
    }

    private static async Task HandleLineAsync(CliOutput output, IChat chat, EventPrinter printer, string line, CancellationToken ct)
    {
        var command = line.Trim();
        if (command.Length == 0)
        {
            return;
        }

        if (command.StartsWith("/history", StringComparison.Ordinal))
        {
            var n = int.TryParse(command.AsSpan(8).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? Math.Clamp(parsed, 1, 1000) : 20;
            foreach (var message in await chat.HistoryAsync(n, ct).ConfigureAwait(false))
            {
                printer.PrintMessage(message);
            }

            return;
        }

        if (command == "/verify")
        {
            var number = await chat.VerifyAsync(ct).ConfigureAwait(false);
            output.Line("Safety number: " + number.SafetyNumber);
            output.Line(IdentityCommands.RenderQr(Convert.FromBase64String(number.Qr)));
            return;
        }

        if (command.StartsWith('/'))
        {
            output.Notice(Help);
            return;
        }

        try
        {
            var id = await chat.SendAsync(line, ct).ConfigureAwait(false);
            output.Console.MarkupLine($"[bold green]me[/] → {Markup.Escape(chat.Peer)}: {Markup.Escape(line)} [grey](sent {id[..8]}…)[/]");
        }
        catch (ParleyClientException e)
        {
            output.Warn(ErrorSentences.For(e));
        }
        catch (ApiException e)
        {
            output.Warn(e.Message);
        }
    }

    private static async Task SafeTypingAsync(IChat chat, bool typing, CancellationToken ct)
    {
        try
        {
            await chat.SetTypingAsync(typing, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ParleyClientException or ApiException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Typing notices are best effort.
        }
    }
}
