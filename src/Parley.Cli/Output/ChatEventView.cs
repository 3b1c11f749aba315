using Parley.Client;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>How chat shows events: messages as usual, receipts and presence as short grey lines, typing in the prompt.</summary>
internal sealed class ChatEventView
{
    private readonly IAnsiConsole _console;
    private readonly EventPrinter _printer;
    private readonly ChatScreen _screen;

    public ChatEventView(IAnsiConsole console, EventPrinter printer, ChatScreen screen)
    {
        _console = console;
        _printer = printer;
        _screen = screen;
    }

    public void Show(ClientEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var who = Markup.Escape(e.Peer);
        switch (e.Kind)
        {
            case ClientEventKind.Typing:
                _screen.SetStatus(e.Typing ? $"{e.Peer} is typing…" : string.Empty); // transient: in the prompt, not the scrollback
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
            case ClientEventKind.Message:
                _screen.SetStatus(string.Empty);
                _printer.Print(e);
                break;
            default:
                _printer.Print(e);
                break;
        }
    }
}
