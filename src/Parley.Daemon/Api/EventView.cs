using System.Globalization;
using Parley.Client;
using Parley.Client.Messaging;

namespace Parley.Daemon.Api;

/// <summary>
/// One message or event, in the shape <c>parley --json</c> prints and the API streams: <c>type</c>
/// says which fields are present (docs/API.md lists them per type).
/// </summary>
public sealed class EventView
{
    /// <summary>
    /// <c>message</c>, <c>delivered</c>, <c>read</c>, <c>typing</c>, <c>presence</c>,
    /// <c>contact-request</c>, <c>contact-accepted</c>, <c>contact-declined</c>, <c>contact-removed</c>,
    /// <c>key-changed</c>, <c>undecryptable</c>, <c>call</c>, <c>transfer</c> or <c>connection</c>.
    /// </summary>
    public required string Type { get; init; }

    /// <summary>The profile the event belongs to (event notifications only).</summary>
    public string? Profile { get; init; }

    /// <summary>The other user (every type but <c>message</c> and <c>connection</c>).</summary>
    public string? User { get; init; }

    /// <summary>Message id.</summary>
    public string? Id { get; init; }

    /// <summary>Incoming message: the sender.</summary>
    public string? From { get; init; }

    /// <summary>Outgoing message: the recipient.</summary>
    public string? To { get; init; }

    /// <summary>Message: <c>in</c> or <c>out</c>.</summary>
    public string? Direction { get; init; }

    /// <summary>Message text (a file line for files, never the file's key).</summary>
    public string? Text { get; init; }

    /// <summary>Message: the sender's clock, ISO 8601.</summary>
    public string? SentAt { get; init; }

    /// <summary>Message: <c>pending</c>, <c>sent</c>, <c>delivered</c> or <c>read</c>.</summary>
    public string? State { get; init; }

    /// <summary>A file message: the file's displayable fields (never its key or digest); fetch it with <c>files.get</c> and the message id.</summary>
    public FileView? File { get; init; }

    /// <summary>Contact request: its note.</summary>
    public string? Note { get; init; }

    /// <summary>Presence: whether the user is online.</summary>
    public bool? Online { get; init; }

    /// <summary>Typing: whether the user is typing.</summary>
    public bool? Typing { get; init; }

    /// <summary>Receipts: the message ids confirmed.</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>Connection: whether the profile's relay link is connected.</summary>
    public bool? Connected { get; init; }

    /// <summary>Transfer: bytes done.</summary>
    public long? Bytes { get; init; }

    /// <summary>Transfer: bytes in all.</summary>
    public long? Total { get; init; }

    /// <summary>For <c>transfer</c>: the name the caller gave the transfer, if it gave one.</summary>
    public string? Transfer { get; init; }

    /// <summary>For <c>call</c> events, and messages that are call records: the call.</summary>
    public CallView? Call { get; init; }

    /// <summary>The view of a stored message.</summary>
    /// <param name="m">The message.</param>
    /// <param name="profile">The profile, for notifications.</param>
    /// <returns>The view.</returns>
    public static EventView FromMessage(StoredMessage m, string? profile = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        var incoming = m.Direction == MessageDirection.Incoming;
        return new EventView
        {
            Type = "message",
            Profile = profile,
            Id = m.Id.ToString(),
            From = incoming ? m.Peer : null,
            To = incoming ? null : m.Peer,
            Direction = incoming ? "in" : "out",
            Text = m.Call is null ? Parley.Client.Transfers.FileMessageText.ForDisplay(m.Text, m.Id.ToString()) : m.Text,
            SentAt = m.SentAt.ToString("O", CultureInfo.InvariantCulture),
            State = m.State.ToString().ToLowerInvariant(),
            File = m.Call is null && Parley.Client.Transfers.FileMessageText.Describe(m.Text) is { } file
                ? new FileView { Id = file.BlobId, Name = file.Name, Size = file.Size, Type = file.ContentType }
                : null,
            Call = m.Call is { } call ? CallView.From(call) : null,
        };
    }

    /// <summary>The view of a client event.</summary>
    /// <param name="e">The event.</param>
    /// <param name="profile">The profile, for notifications.</param>
    /// <returns>The view.</returns>
    public static EventView FromClientEvent(ClientEvent e, string? profile = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Kind == ClientEventKind.Message && e.Message is not null)
        {
            return FromMessage(e.Message, profile);
        }

        return new EventView
        {
            Type = TypeName(e.Kind),
            Profile = profile,
            User = e.Kind is ClientEventKind.ConnectionLost or ClientEventKind.ConnectionRestored ? null : e.Peer,
            Note = e.Note,
            Online = e.Kind == ClientEventKind.Presence ? e.Online : null,
            Typing = e.Kind == ClientEventKind.Typing ? e.Typing : null,
            Ids = e.MessageIds.Count > 0 ? e.MessageIds.Select(id => id.ToString()).ToList() : null,
            Call = e.Call is { } call ? CallView.From(call) : null,
            Text = e.Call?.Record?.Describe(),
            Connected = e.Kind switch
            {
                ClientEventKind.ConnectionLost => false,
                ClientEventKind.ConnectionRestored => true,
                _ => null,
            },
        };
    }

    /// <summary>This transfer event, carrying the caller's name for the transfer.</summary>
    /// <param name="transfer">The name.</param>
    /// <returns>The view.</returns>
    public EventView WithTransfer(string transfer) => new() { Type = Type, Profile = Profile, Bytes = Bytes, Total = Total, Transfer = transfer };

    /// <summary>A connection-state event.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="connected">Whether connected now.</param>
    /// <returns>The view.</returns>
    public static EventView Connection(string profile, bool connected) => new() { Type = "connection", Profile = profile, Connected = connected };

    private static string TypeName(ClientEventKind kind) => kind switch
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
        ClientEventKind.IdentityReplaced => "identity-replaced",
        ClientEventKind.SessionEnded => "session-ended",
        ClientEventKind.ConnectionLost or ClientEventKind.ConnectionRestored => "connection",
        ClientEventKind.Call => "call",
        _ => "message",
    };
}

/// <summary>What a file message tells about its file: nothing that decrypts it.</summary>
public sealed class FileView
{
    /// <summary>The server's id of the encrypted blob.</summary>
    public required string Id { get; init; }

    /// <summary>The sender's file name, sanitized (safe to show and to save under).</summary>
    public required string Name { get; init; }

    /// <summary>Plaintext size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The sender's media type (untrusted display text).</summary>
    public required string Type { get; init; }
}
