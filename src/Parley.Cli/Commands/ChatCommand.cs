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
        var printer = new EventPrinter(ctx.Output);
        var console = ctx.Output.Console;
        var chatEvents = new ChatEventView(console, printer);
        console.MarkupLine($"[bold]Chat with {Markup.Escape(peer)}[/] — type and press Enter. {Markup.Escape(Help)}");
        await using var chat = await ChatSession.OpenAsync(client, peer, chatEvents.Show, ct).ConfigureAwait(false);

        var input = new ChatInput(typing => _ = SafeTypingAsync(chat, typing, ct));
        while (!ct.IsCancellationRequested)
        {
            var read = input.ReadLineAsync(ct);
            var line = await read.ConfigureAwait(false);
            if (line is null || line.Trim() == "/quit")
            {
                break;
            }

            await HandleLineAsync(ctx, client, chat, printer, line.Trim(), ct).ConfigureAwait(false);
        }

        return 0;
    };

    private static async Task HandleLineAsync(CommandContext ctx, ParleyClient client, ChatSession chat, EventPrinter printer, string line, CancellationToken ct)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (line.StartsWith("/history", StringComparison.Ordinal))
        {
            var n = int.TryParse(line.AsSpan(8).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? Math.Clamp(parsed, 1, 1000) : 20;
            foreach (var message in await chat.HistoryAsync(n, ct).ConfigureAwait(false))
            {
                printer.PrintMessage(message);
            }

            return;
        }

        if (line == "/verify")
        {
            var number = await client.Identity.GetSafetyNumberAsync(chat.Peer, ct).ConfigureAwait(false);
            ctx.Output.Line("Safety number: " + number.ToDisplayString());
            ctx.Output.Line(IdentityCommands.RenderQr(number.ToQrPayload()));
            return;
        }

        if (line.StartsWith('/'))
        {
            ctx.Output.Notice(Help);
            return;
        }

        try
        {
            var id = await chat.SendAsync(line, ct).ConfigureAwait(false);
            ctx.Output.Console.MarkupLine($"[grey]sent {id.ToString()[..8]}…[/]");
        }
        catch (ParleyClientException e)
        {
            ctx.Output.Warn(ErrorSentences.For(e.Kind));
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
