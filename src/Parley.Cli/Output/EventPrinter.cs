using System.Globalization;
using Parley.Daemon.Api;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>
/// Prints messages and events the same way for <c>receive</c>, <c>history</c> and <c>chat</c>: with
/// <c>--json</c> each is one line in the API's event shape (docs/API.md), otherwise readable text.
/// </summary>
internal sealed class EventPrinter
{
    private readonly CliOutput _output;

    public EventPrinter(CliOutput output) => _output = output;

    public void Print(EventView e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type is "transfer" or "connection")
        {
            return;
        }

        if (_output.IsJson)
        {
            CliOutput.JsonLine(e, ApiJsonContext.Default.EventView);
            return;
        }

        if (e.Type == "message")
        {
            PrintMessage(e);
            return;
        }

        var peer = e.User ?? string.Empty;
        var who = Markup.Escape(peer);
        switch (e.Type)
        {
            case "contact-request":
                _output.Console.MarkupLine($"[blue]{who}[/] asks to be your contact{(e.Note is null ? string.Empty : ": " + Markup.Escape(e.Note))} (accept with 'parley contacts accept {who}').");
                break;
            case "contact-accepted":
                _output.Console.MarkupLine($"[blue]{who}[/] accepted your contact request.");
                break;
            case "contact-declined":
                _output.Console.MarkupLine($"[blue]{who}[/] declined your contact request.");
                break;
            case "contact-removed":
                _output.Console.MarkupLine($"[blue]{who}[/] is no longer a contact.");
                break;
            case "key-changed":
                _output.Warn($"{peer}'s identity key has changed. Their messages are kept, but sending to them is blocked until you compare safety numbers ('parley verify {peer}') and accept the key ('parley trust {peer}').");
                break;
            case "undecryptable":
                _output.Warn($"A message from {peer} could not be decrypted and was dropped.");
                break;
            case "session-ended":
                _output.Console.MarkupLine($"[blue]{who}[/] ended the secure session; the next message starts a new one.");
                break;
            case "call" when e.Call?.Update == "state" && e.Call.State == "incoming":
                _output.Console.MarkupLine($"[blue]{who}[/] is calling you ({(e.Call.Media == "video" ? "video" : "voice")}): answer in the web app ('parley ui'), or 'parley call decline'.");
                break;
            case "call" when e.Call?.Update == "recorded":
                _output.Console.MarkupLine($"[blue]{who}[/]: {Markup.Escape(e.Text ?? string.Empty)}.");
                break;
            case "identity-replaced":
                _output.Warn(ErrorSentences.For(Parley.Client.Errors.ClientErrorKind.IdentityReplaced));
                break;
            case "prekeys-exhausted":
                _output.Warn("Your one-time prekeys had run out on the server (many new sessions, or someone draining them); new sessions used your last-resort keys. A new batch has been uploaded.");
                break;
            default:
                // Receipts, typing and presence update the store; chat shows them, a one-shot receive stays quiet.
                break;
        }
    }

    public void PrintMessage(EventView m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (_output.IsJson)
        {
            CliOutput.JsonLine(m, ApiJsonContext.Default.EventView);
            return;
        }

        var sentAt = DateTimeOffset.TryParse(m.SentAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : DateTimeOffset.UnixEpoch;
        var time = sentAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var text = Markup.Escape(m.Text ?? string.Empty);
        if (m.Direction == "in")
        {
            _output.Console.MarkupLine($"[grey]{time}[/] [bold blue]{Markup.Escape(m.From ?? string.Empty)}[/]: {text}");
        }
        else
        {
            _output.Console.MarkupLine($"[grey]{time}[/] [bold green]me[/] → {Markup.Escape(m.To ?? string.Empty)}: {text} [grey]({m.State})[/]");
        }
    }
}
