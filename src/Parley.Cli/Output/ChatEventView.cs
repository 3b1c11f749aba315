using Parley.Client;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>How chat shows events: messages as usual, receipts, typing and presence as short grey lines.</summary>
internal sealed class ChatEventView
{
    private readonly IAnsiConsole _console;
    private readonly EventPrinter _printer;

    public ChatEventView(IAnsiConsole console, EventPrinter printer)
    {
        _console = console;
        _printer = printer;
    }

    public void Show(ClientEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var who = Markup.Escape(e.Peer);
        switch (e.Kind)
        {
            case ClientEventKind.Typing:
                _console.MarkupLine(e.Typing ? $"[grey]{who} is typing…[/]" : $"[grey]{who} stopped typing.[/]");
                break;
            case ClientEventKind.Delivered:
                _console.MarkupLine($"[grey]✓ delivered to {who} ({e.MessageIds.Count})[/]");
                break;
            case ClientEventKind.Read:
                _console.MarkupLine($"[grey]✓✓ read by {who} ({e.MessageIds.Count})[/]");
                break;
            case ClientEventKind.Presence:
                _console.MarkupLine(e.Online ? $"[grey]{who} is online.[/]" : $"[grey]{who} is offline.[/]");
                break;
            case ClientEventKind.ConnectionLost:
                _console.MarkupLine("[yellow]Connection lost; reconnecting… (messages you send meanwhile are kept and sent then)[/]");
                break;
            case ClientEventKind.ConnectionRestored:
                _console.MarkupLine("[grey]Connected again.[/]");
                break;
            default:
                _printer.Print(e);
                break;
        }
    }
}
