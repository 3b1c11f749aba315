using Parley.Daemon.Api;
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

    public void Show(EventView e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var who = Markup.Escape(e.User ?? string.Empty);
        switch (e.Type)
        {
            case "typing":
                _console.MarkupLine(e.Typing == true ? $"[grey]{who} is typing…[/]" : $"[grey]{who} stopped typing.[/]");
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
            case "connection" when e.Connected == false:
                _console.MarkupLine("[yellow]Connection lost; reconnecting… (messages you send meanwhile are kept and sent then)[/]");
                break;
            case "connection":
                _console.MarkupLine("[grey]Connected again.[/]");
                break;
            default:
                _printer.Print(e);
                break;
        }
    }
}
