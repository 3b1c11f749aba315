using System.CommandLine;
using System.Globalization;
using Parley.Cli.Chat;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Errors;
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

    /// <summary>Opens the conversation through the running daemon when there is one, else on a connection of its own.</summary>
    internal static async Task<IChat> OpenAsync(CommandContext ctx, string peer, Action<EventView> onEvent, CancellationToken ct)
    {
        var home = ctx.Home;
        if (RemoteApi.TryConnect(home, ctx.Options.KeyCache) is { } calls)
        {
            var events = RemoteApi.TryConnect(home, ctx.Options.KeyCache);
            if (events is not null)
            {
                return await DaemonChat.OpenAsync(calls, events, ctx.Profile, peer, onEvent, ct).ConfigureAwait(false);
            }

            await calls.DisposeAsync().ConfigureAwait(false);
        }

        var client = ParleyClient.Resume(home, ctx.Profile, ctx.Options);
        try
        {
            return await LocalChat.OpenAsync(client, peer, onEvent, ct).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Func<CommandContext, CancellationToken, Task<int>> RunAsync(Argument<string> user) => async (ctx, ct) =>
    {
        var peer = ctx.Get(user);
        var printer = new EventPrinter(ctx.Output);
        var console = ctx.Output.Console;
        var chatEvents = new ChatEventView(console, printer);
        console.MarkupLine($"[bold]Chat with {Markup.Escape(peer)}[/] — type and press Enter. {Markup.Escape(Help)}");
        await using var chat = await OpenAsync(ctx, peer, chatEvents.Show, ct).ConfigureAwait(false);

        var input = new ChatInput(typing => _ = SafeTypingAsync(chat, typing, ct));
        while (!ct.IsCancellationRequested)
        {
            var read = input.ReadLineAsync(ct);
            if (await Task.WhenAny(read, chat.Completion).ConfigureAwait(false) != read)
            {
                ctx.Output.Warn("The daemon stopped; the chat ends.");
                return ErrorSentences.GeneralFailure;
            }

            var line = await read.ConfigureAwait(false);
            if (line is null || line.Trim() == "/quit")
            {
                break;
            }

            await HandleLineAsync(ctx, chat, printer, line.Trim(), ct).ConfigureAwait(false);
        }

        return 0;
    };

    private static async Task HandleLineAsync(CommandContext ctx, IChat chat, EventPrinter printer, string line, CancellationToken ct)
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
            var number = await chat.VerifyAsync(ct).ConfigureAwait(false);
            ctx.Output.Line("Safety number: " + number.SafetyNumber);
            ctx.Output.Line(IdentityCommands.RenderQr(Convert.FromBase64String(number.Qr)));
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
            ctx.Output.Console.MarkupLine($"[grey]sent {id[..8]}…[/]");
        }
        catch (ParleyClientException e)
        {
            ctx.Output.Warn(ErrorSentences.For(e.Kind));
        }
        catch (ApiException e)
        {
            ctx.Output.Warn(e.Message);
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
