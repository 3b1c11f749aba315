using System.Globalization;
using System.Text.Json.Nodes;
using Parley.Client;
using Parley.Client.Messaging;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>Prints messages and events the same way for <c>receive</c>, <c>history</c> and <c>chat</c>.</summary>
internal sealed class EventPrinter
{
    private readonly CliOutput _output;

    public EventPrinter(CliOutput output) => _output = output;

    public void Print(ClientEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Kind == ClientEventKind.Message && e.Message is not null)
        {
            PrintMessage(e.Message);
            return;
        }

        if (_output.IsJson)
        {
            var json = new JsonObject { ["type"] = KindName(e.Kind), ["user"] = e.Peer };
            if (e.Note is not null)
            {
                json["note"] = e.Note;
            }

            if (e.Kind == ClientEventKind.Presence)
            {
                json["online"] = e.Online;
            }

            if (e.Kind == ClientEventKind.Typing)
            {
                json["typing"] = e.Typing;
            }

            if (e.MessageIds.Count > 0)
            {
                json["ids"] = new JsonArray(e.MessageIds.Select(id => (JsonNode)id.ToString()).ToArray());
            }

            CliOutput.JsonLine(json);
            return;
        }

        var who = Markup.Escape(e.Peer);
        switch (e.Kind)
        {
            case ClientEventKind.ContactRequest:
                _output.Console.MarkupLine($"[blue]{who}[/] asks to be your contact{(e.Note is null ? string.Empty : ": " + Markup.Escape(e.Note))} (accept with 'parley contacts accept {who}').");
                break;
            case ClientEventKind.ContactAccepted:
                _output.Console.MarkupLine($"[blue]{who}[/] accepted your contact request.");
                break;
            case ClientEventKind.ContactDeclined:
                _output.Console.MarkupLine($"[blue]{who}[/] declined your contact request.");
                break;
            case ClientEventKind.ContactRemoved:
                _output.Console.MarkupLine($"[blue]{who}[/] is no longer a contact.");
                break;
            case ClientEventKind.KeyChanged:
                _output.Warn($"{e.Peer}'s identity key has changed. Their messages are kept, but sending to them is blocked until you compare safety numbers ('parley verify {e.Peer}') and accept the key ('parley trust {e.Peer}').");
                break;
            case ClientEventKind.Undecryptable:
                _output.Warn($"A message from {e.Peer} could not be decrypted and was dropped.");
                break;
            case ClientEventKind.PreKeysExhausted:
                _output.Warn("Your one-time prekeys had run out on the server (many new sessions, or someone draining them); new sessions used your last-resort keys. A new batch has been uploaded.");
                break;
            case ClientEventKind.Delivered:
            case ClientEventKind.Read:
            case ClientEventKind.Typing:
            case ClientEventKind.Presence:
            case ClientEventKind.ConnectionLost:
            case ClientEventKind.ConnectionRestored:
                // Receipts and typing update the store; chat shows them, a one-shot receive stays quiet.
                break;
        }
    }

    public void PrintMessage(StoredMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var text = Parley.Client.Transfers.FileMessageText.ForDisplay(m.Text, m.Id.ToString()); // files: a file line, never the pointer's key
        if (_output.IsJson)
        {
            var incoming = m.Direction == MessageDirection.Incoming;
            var json = new JsonObject
            {
                ["type"] = "message",
                ["id"] = m.Id.ToString(),
                [incoming ? "from" : "to"] = m.Peer,
                ["direction"] = incoming ? "in" : "out",
                ["text"] = text,
                ["sentAt"] = m.SentAt.ToString("O", CultureInfo.InvariantCulture),
                ["state"] = m.State.ToString().ToLowerInvariant(),
            };
            if (Parley.Client.Transfers.FileMessageText.Describe(m.Text) is { } file)
            {
                // Structured fields for scripts; 'parley file get' takes the message id above.
                json["file"] = new JsonObject { ["id"] = file.BlobId, ["name"] = file.Name, ["size"] = file.Size, ["type"] = file.ContentType };
            }

            CliOutput.JsonLine(json);
            return;
        }

        var time = m.SentAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (m.Direction == MessageDirection.Incoming)
        {
            _output.Console.MarkupLine($"[grey]{time}[/] [bold blue]{Markup.Escape(m.Peer)}[/]: {Markup.Escape(text)}");
        }
        else
        {
            _output.Console.MarkupLine($"[grey]{time}[/] [bold green]me[/] → {Markup.Escape(m.Peer)}: {Markup.Escape(text)} [grey]({StateMark(m.State)})[/]");
        }
    }

    internal static string StateMark(DeliveryState state) => state switch
    {
        DeliveryState.Pending => "pending",
        DeliveryState.Sent => "sent",
        DeliveryState.Delivered => "delivered",
        _ => "read",
    };

    private static string KindName(ClientEventKind kind) => kind switch
    {
        ClientEventKind.ContactRequest => "contact-request",
        ClientEventKind.ContactAccepted => "contact-accepted",
        ClientEventKind.ContactDeclined => "contact-declined",
        ClientEventKind.ContactRemoved => "contact-removed",
        ClientEventKind.KeyChanged => "key-changed",
        ClientEventKind.Undecryptable => "undecryptable",
        ClientEventKind.Delivered => "delivered",
        ClientEventKind.Read => "read",
        ClientEventKind.Typing => "typing",
        ClientEventKind.Presence => "presence",
        ClientEventKind.PreKeysExhausted => "prekeys-exhausted",
        _ => "message",
    };
}
