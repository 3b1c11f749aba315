using System.CommandLine;
using System.Globalization;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Conversations;
using Parley.Client.Errors;
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

    private static Func<CommandContext, CancellationToken, Task<int>> RunAsync(Argument<string> user) => async (ctx, ct) =>
    {
        await using var client = ctx.Resume();
        var peer = ctx.Get(user);
        await ContactCheck.RequireContactAsync(client, peer, ct).ConfigureAwait(false);
        var editor = new LineEditor();
        var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
        var screen = new ChatScreen(Console.Out, editor, interactive, TerminalWidth);
        var output = new CliOutput(ctx.Json, screen.Writer, interactive ? TerminalWidth() : CliOutput.UnwrappedWidth);
        var printer = new EventPrinter(output);
        var console = output.Console;
        var chatEvents = new ChatEventView(console, printer, screen);
        console.MarkupLine($"[bold]Chat with {Markup.Escape(peer)}[/] — type and press Enter. {Markup.Escape(Help)}");
        await using var chat = await ChatSession.OpenAsync(client, peer, chatEvents.Show, ct).ConfigureAwait(false);

        var input = new ChatInput(screen, editor, typing => _ = SafeTypingAsync(chat, typing, ct));
        while (!ct.IsCancellationRequested)
        {
            var read = input.ReadLineAsync(ct);
            var line = await read.ConfigureAwait(false);
            if (line is null || line.Trim() == "/quit")
            {
                break;
            }

            await HandleLineAsync(output, client, chat, printer, line, ct).ConfigureAwait(false);
        }

        if (interactive)
        {
            Console.Out.Write("\r\u001b[2K");
        }

        return 0;
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

    private static async Task HandleLineAsync(CliOutput output, ParleyClient client, ChatSession chat, EventPrinter printer, string line, CancellationToken ct)
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
            var number = await client.Identity.GetSafetyNumberAsync(chat.Peer, ct).ConfigureAwait(false);
            output.Line("Safety number: " + number.ToDisplayString());
            output.Line(IdentityCommands.RenderQr(number.ToQrPayload()));
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
            output.Console.MarkupLine($"[bold green]me[/] → {Markup.Escape(chat.Peer)}: {Markup.Escape(line)} [grey](sent {id.ToString()[..8]}…)[/]");
        }
        catch (ParleyClientException e)
        {
            output.Warn(ErrorSentences.For(e));
        }
    }

    private static async Task SafeTypingAsync(ChatSession chat, bool typing, CancellationToken ct)
    {
        try
        {
            await chat.SetTypingAsync(typing, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ParleyClientException or OperationCanceledException or ObjectDisposedException)
        {
            // Typing notices are best effort.
        }
    }
}
