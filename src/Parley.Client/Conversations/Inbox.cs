using Google.Protobuf;
using Parley.Client.Calls;
using Parley.Client.Contacts;
using Parley.Client.Identity;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Client.Transfers;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client.Conversations;

/// <summary>
/// The profile's side of the relay link (<see cref="IRelayHandler"/>): every delivery is decrypted
/// and stored in one transaction with the session state, and only then acknowledged; a redelivered
/// id is acknowledged without decrypting again; messages under an untrusted identity are held until
/// the user accepts the key; contact events and presence become events. On every connection it
/// releases held messages, shows what the display policy wants shown, and flushes the outbox.
/// </summary>
internal sealed class Inbox : IRelayHandler
{
    private const string HeldSpace = "held";

    private readonly ProfileContext _context;
    private readonly Outbox _outbox;
    private readonly Receipts _receipts;
    private readonly ContactService _contacts;
    private readonly IdentityService _identity;
    private readonly KeyDirectory _directory;
    private readonly CallService _calls;

    public Inbox(ProfileContext context, Outbox outbox, Receipts receipts, ContactService contacts, IdentityService identity, KeyDirectory directory, CallService calls)
    {
        _calls = calls;
        _context = context;
        _outbox = outbox;
        _receipts = receipts;
        _contacts = contacts;
        _identity = identity;
        _directory = directory;
    }

    /// <summary>Which incoming messages are shown as they arrive.</summary>
    public DisplayPolicy Policy { get; set; } = DisplayPolicy.AnnounceAll;

    public Task OnFrameAsync(RelayLink link, ServerFrame frame, CancellationToken cancellationToken) =>
        _context.LockedAsync(() => HandleLockedAsync(link, frame, cancellationToken), cancellationToken);

    public Task OnDeliveriesAsync(RelayLink link, IReadOnlyList<Deliver> deliveries, CancellationToken cancellationToken) =>
        _context.LockedAsync(() => HandleDeliveriesLockedAsync(link, deliveries, released: false, cancellationToken), cancellationToken);

    public async Task OnConnectedAsync(RelayLink link, CancellationToken cancellationToken)
    {
        await _context.LockedAsync(() => ReleaseHeldLockedAsync(link, cancellationToken), cancellationToken).ConfigureAwait(false);
        var policy = Policy;
        if (policy.ShowsUnshownOnConnect)
        {
            await _context.LockedAsync(() => _receipts.ShowUnshownLockedAsync(link, policy.UnshownScope, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        await _outbox.FlushAsync(link, cancellationToken).ConfigureAwait(false);
    }

    public Task OnDrainedAsync(RelayLink link, CancellationToken cancellationToken) =>
        link.IsPersistent ? _directory.TryReplenishAsync(cancellationToken) : Task.CompletedTask;

    private async Task HandleLockedAsync(RelayLink link, ServerFrame frame, CancellationToken cancellationToken)
    {
        switch (frame.KindCase)
        {
            case ServerFrame.KindOneofCase.Deliver:
                await HandleDeliveriesLockedAsync(link, [frame.Deliver], released: false, cancellationToken).ConfigureAwait(false);
                break;
            case ServerFrame.KindOneofCase.ContactEvent:
                await _contacts.ApplyEventLockedAsync(frame.ContactEvent, cancellationToken).ConfigureAwait(false);
                await link.AckAsync(frame.ContactEvent.MessageId, cancellationToken).ConfigureAwait(false);
                break;
            case ServerFrame.KindOneofCase.Presence:
                if (UserName.TryParse(frame.Presence.Username, out var who))
                {
                    _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.Presence, Peer = who.Value, Online = frame.Presence.Online });
                }

                break;
            case ServerFrame.KindOneofCase.PrekeyStock:
                // The server says a fetch left our one-time keys low (Parley.Wire relay.proto, PreKeyStock): refill now.
                await _directory.TryReplenishLockedAsync(cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Decrypts and stores every delivery in one transaction (one disk commit for a burst), then
    /// acknowledges them all, then reports them; delivered receipts go out one per sender. Each
    /// message on its own changes nothing when it is forged or malformed; an exception rolls the whole
    /// batch back unacknowledged, so the server delivers it again.
    /// </summary>
    private async Task HandleDeliveriesLockedAsync(RelayLink link, IReadOnlyList<Deliver> deliveries, bool released, CancellationToken cancellationToken)
    {
        var handled = new List<(string Sender, MessageId Id, MessageContent Content, DateTimeOffset ServerTime)>();
        var keyChanged = new List<string>();
        var undecryptable = new List<string>();
        _context.Store.InTransaction(() =>
        {
            foreach (var deliver in deliveries)
            {
                if (!MessageId.TryFromBytes(deliver.MessageId.Span, out var id) || !UserName.TryParse(deliver.Sender, out var senderName)
                    || _context.Store.HasMessage(id))
                {
                    continue;
                }

                var sender = senderName.Value;
                var (error, content) = DecryptAndStore(id, sender, deliver.Ciphertext.Span, released);
                if (error == SessionError.UntrustedIdentity)
                {
                    _context.Store.PutSecret(HeldSpace, id.ToString(), deliver.ToByteArray());
                    keyChanged.Add(sender);
                }
                else if (error is not (SessionError.None or SessionError.DuplicateMessage))
                {
                    undecryptable.Add(sender);
                }

                if (content is not null)
                {
                    handled.Add((sender, id, content, DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(deliver.ServerTimestampMs, 0, 253402300799999))));
                }
            }
        });

        foreach (var sender in keyChanged.Distinct(StringComparer.Ordinal))
        {
            await _identity.RecordKeyChangeLockedAsync(sender, cancellationToken).ConfigureAwait(false);
        }

        foreach (var sender in undecryptable)
        {
            _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.Undecryptable, Peer = sender });
        }

        await link.AckManyAsync(deliveries.Select(d => d.MessageId).ToList(), cancellationToken).ConfigureAwait(false);
        var delivered = new Dictionary<string, List<MessageId>>(StringComparer.Ordinal);
        string? showing = null; // a run of messages from one sender on screen is handed out, and read-receipted, once
        foreach (var (sender, id, content, serverTime) in handled)
        {
            var show = content.Kind is ContentKind.Text or ContentKind.File && Policy.For(sender) == IncomingDisplay.Show;
            if (showing is not null && (!show || showing != sender))
            {
                await _receipts.ShowUnshownLockedAsync(link, showing, cancellationToken).ConfigureAwait(false);
            }

            showing = show ? sender : null;
            if (!show)
            {
                ReportLocked(sender, id, content, serverTime, delivered);
            }
        }

        if (showing is not null)
        {
            await _receipts.ShowUnshownLockedAsync(link, showing, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (sender, ids) in delivered)
        {
            foreach (var chunk in ids.Chunk(MessageContent.MaxReceiptIds))
            {
                await _receipts.SendLockedAsync(link, sender, ReceiptKind.Delivered, chunk, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Decrypts and stores in one transaction: a forged or malformed message changes nothing.</summary>
    private (SessionError Error, MessageContent? Content) DecryptAndStore(MessageId id, string sender, ReadOnlySpan<byte> ciphertext, bool released)
    {
        var cipher = new SessionCipher(_context.Keys, _context.Keys, _context.Keys, sender);
        var error = SessionError.None;
        MessageContent? content = null;
        var bytes = ciphertext.ToArray();
        var store = _context.Store;
        store.InTransaction(() =>
        {
            if (!cipher.TryDecrypt(bytes, out var plaintext, out error) || plaintext is null)
            {
                return;
            }

            _context.Options.Trace?.Content(outgoing: false, sender, plaintext);
            if (!MessageContent.TryParse(plaintext, out content) || content.Id != id)
            {
                content?.File?.Dispose();
                content = null;
                error = SessionError.InvalidMessage;
                return;
            }

            switch (content.Kind)
            {
                case ContentKind.Text or ContentKind.File:
                    // The local store keeps a file message as its display form (FileMessageText); the
                    // pointer's key lives only there, sealed like every message body.
                    string text;
                    using (content.File)
                    {
                        text = content.File is { } file ? FileMessageText.Format(file) : content.Text!;
                    }
                    var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(content.SentAtMs, 0, 253402300799999));
                    store.TryAddIncoming(new StoredMessage
                    {
                        Id = id, Peer = sender, Direction = MessageDirection.Incoming, State = DeliveryState.Delivered, Text = text, SentAt = sentAt, Released = released,
                    });
                    break;
                case ContentKind.Receipt:
                    _receipts.ApplyLocked(sender, content);
                    break;
                case ContentKind.EndSession:
                    _context.Keys.DeleteSession(sender); // after the decrypt stored it: in the same transaction
                    break;
            }
        });
        return (error, content);
    }

    private void ReportLocked(string sender, MessageId id, MessageContent content, DateTimeOffset serverTime, Dictionary<string, List<MessageId>> delivered)
    {
        switch (content.Kind)
        {
            case ContentKind.Text or ContentKind.File: // shown ones are handed out by the caller, a run at a time
                if (Policy.For(sender) == IncomingDisplay.Announce && _context.Store.GetMessage(id) is { } stored)
                {
                    _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.Message, Peer = sender, Message = stored });
                }

                if (!delivered.TryGetValue(sender, out var ids))
                {
                    delivered[sender] = ids = [];
                }

                ids.Add(content.Id); // one delivered receipt per sender for the batch
                break;
            case ContentKind.Receipt:
                _context.Events.Emit(new ClientEvent { Kind = content.Receipt == ReceiptKind.Read ? ClientEventKind.Read : ClientEventKind.Delivered, Peer = sender, MessageIds = content.Ids! });
                break;
            case ContentKind.Typing:
                _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.Typing, Peer = sender, Typing = content.Typing });
                break;
            case ContentKind.EndSession:
                _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.SessionEnded, Peer = sender });
                break;
            case ContentKind.Call:
                _calls.ReceiveLocked(sender, content, serverTime);
                break;
        }
    }

    /// <summary>After a key was trusted again, decrypts the messages that arrived under it.</summary>
    private async Task ReleaseHeldLockedAsync(RelayLink link, CancellationToken cancellationToken)
    {
        var store = _context.Store;
        foreach (var (tag, raw) in store.ListSecrets(HeldSpace))
        {
            Deliver deliver;
            try
            {
                deliver = Deliver.Parser.ParseFrom(raw);
            }
            catch (InvalidProtocolBufferException)
            {
                store.RemoveSecretByTag(HeldSpace, tag);
                continue;
            }

            if (store.GetContact(deliver.Sender) is { KeyChanged: true })
            {
                continue;
            }

            store.RemoveSecretByTag(HeldSpace, tag);
            await HandleDeliveriesLockedAsync(link, [deliver], released: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
