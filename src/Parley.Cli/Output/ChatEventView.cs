using Parley.Daemon.Api;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>How chat shows events: messages as usual, receipts and presence as short grey lines, typing in the prompt.</summary>
internal sealed class ChatEventView
{
    private readonly IAnsiConsole _console;
    private readonly EventPrinter _printer;
    private readonly ChatScreen _screen;

    /// <summary>The link state last shown (null: none yet); a daemon repeats the state when chat subscribes.</summary>
    private bool? _connected;

    public ChatEventView(IAnsiConsole console, EventPrinter printer, ChatScreen screen)
    {
        _console = console;
        _printer = printer;
        _screen = screen;
    }

    public void Show(EventView e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var who = Markup.Escape(e.User ?? string.Empty);
        switch (e.Type)
        {
            case "typing":
                _screen.SetStatus(e.Typing == true ? $"{e.User} is typing…" : string.Empty); // transient: in the prompt, not the scrollback
                break;
            case "delivered":
                _console.MarkupLine($"[grey]✓ delivered to {who} ({e.Ids?.Count ?? 0})[/]");
                break;
            case "read":
                _console.MarkupLine($"[grey]✓✓ read by {who} ({e.Ids?.Count ?? 0})[/]");
                break;
            case "presence":
                _console.MarkupLine(e.Online == true ? $"[grey]{who} is online.[/]" : $"[grey]{who} is offline.[/]");
                break;
            case "connection":
                ShowConnection(e.Connected == true);
                break;
            case "message":
                _screen.SetStatus(string.Empty);
                _printer.Print(e);
                break;
            default:
                _printer.Print(e);
                break;
        }
    }

    /// <summary>Prints only changes: "connected" as the first state is what chat assumes, so it says nothing.</summary>
    private void ShowConnection(bool connected)
    {
        var previous = _connected;
        _connected = connected;
        if (previous == connected || (previous is null && connected))
        {
            return;
        }

        _console.MarkupLine(connected
            ? "[grey]Connected again.[/]"
            : "[yellow]Connection lost; reconnecting… (messages you send meanwhile are kept and sent then)[/]");
    }
}
