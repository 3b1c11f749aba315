using Parley.Client.Calls;
using Parley.Client.Messaging;

namespace Parley.Client;

/// <summary>What kind of thing happened.</summary>
public enum ClientEventKind
{
    /// <summary>A message arrived (see <see cref="ClientEvent.Message"/>).</summary>
    Message,

    /// <summary>Someone asked to become a contact.</summary>
    ContactRequest,

    /// <summary>Our request was accepted.</summary>
    ContactAccepted,

    /// <summary>Our request was declined.</summary>
    ContactDeclined,

    /// <summary>The contact removed us, or cancelled their request.</summary>
    ContactRemoved,

    /// <summary>The peer's device stored our messages (<see cref="ClientEvent.MessageIds"/>).</summary>
    Delivered,

    /// <summary>The peer displayed our messages (<see cref="ClientEvent.MessageIds"/>).</summary>
    Read,

    /// <summary>The peer started or stopped typing (<see cref="ClientEvent.Typing"/>).</summary>
    Typing,

    /// <summary>The peer's identity key changed; sending is blocked until trusted.</summary>
    KeyChanged,

    /// <summary>A message could not be decrypted and was dropped.</summary>
    Undecryptable,

    /// <summary>A contact came online or went offline (<see cref="ClientEvent.Online"/>).</summary>
    Presence,

    /// <summary>A live session (chat) lost its connection and keeps trying to reconnect.</summary>
    ConnectionLost,

    /// <summary>A live session (chat) is connected again; the outbox was resent.</summary>
    ConnectionRestored,

    /// <summary>
    /// Our one-time prekeys of one kind (X25519 or ML-KEM) ran out on the server: new sessions formed
    /// on the signed prekey and the last-resort ML-KEM key until the client refilled them (it has by
    /// the time this is reported, if the server accepted the upload). Many fetches in a short time can
    /// mean someone is draining them. <see cref="ClientEvent.Peer"/> is our own username.
    /// </summary>
    PreKeysExhausted,

    /// <summary>
    /// The server holds another identity key for our account: a login from another installation
    /// replaced it. This profile stops connecting (it would take messages it cannot decrypt) until it
    /// logs in again with the identity replaced back. <see cref="ClientEvent.Peer"/> is our own username.
    /// </summary>
    IdentityReplaced,

    /// <summary>
    /// The peer ended the secure session (<c>parley disconnect</c>): both sides forgot its ratchet
    /// state, and the next message starts a fresh key agreement. History stays.
    /// </summary>
    SessionEnded,

    /// <summary>A call rang, changed state, ended or was missed, or its media needs the contact's description or candidates (<see cref="ClientEvent.Call"/>).</summary>
    Call,
}

/// <summary>One thing that happened, as reported by receive and chat.</summary>
public sealed class ClientEvent
{
    /// <summary>What happened.</summary>
    public required ClientEventKind Kind { get; init; }

    /// <summary>The other user concerned.</summary>
    public required string Peer { get; init; }

    /// <summary>The message, for <see cref="ClientEventKind.Message"/>.</summary>
    public StoredMessage? Message { get; init; }

    /// <summary>The note of a contact request.</summary>
    public string? Note { get; init; }

    /// <summary>The messages a receipt refers to.</summary>
    public IReadOnlyList<MessageId> MessageIds { get; init; } = [];

    /// <summary>For <see cref="ClientEventKind.Typing"/>: whether the peer is typing now.</summary>
    public bool Typing { get; init; }

    /// <summary>For <see cref="ClientEventKind.Presence"/>: whether the peer is online.</summary>
    public bool Online { get; init; }

    /// <summary>For <see cref="ClientEventKind.Call"/>: what happened to the call.</summary>
    public CallUpdate? Call { get; init; }
}

/// <summary>A snapshot for <c>parley status</c>.</summary>
/// <param name="Connected">Whether the relay connection could be opened.</param>
/// <param name="PendingOutgoing">Messages stored locally and not yet acknowledged by the server.</param>
/// <param name="OnlineContacts">Contacts the server reports online.</param>
public sealed record ClientStatus(bool Connected, int PendingOutgoing, IReadOnlyList<string> OnlineContacts);
