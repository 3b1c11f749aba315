using Google.Protobuf;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Identity;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client.Conversations;

/// <summary>
/// One-to-one conversations as policies over the profile's <see cref="RelayLink"/>: sending (checks,
/// session set-up from the peer's bundle, encryption, the outbox), history with read receipts,
/// typing notices, and a bounded receive. Works the same whether the link is a command's one-shot
/// connection or a daemon's persistent one.
/// </summary>
public sealed class ConversationService
{
    private readonly ProfileContext _context;
    private readonly RelayLink _link;
    private readonly Outbox _outbox;
    private readonly Inbox _inbox;
    private readonly Receipts _receipts;
    private readonly ContactService _contacts;
    private readonly KeyDirectory _directory;

    internal ConversationService(ProfileContext context, RelayLink link, Outbox outbox, Inbox inbox, Receipts receipts,
        ContactService contacts, KeyDirectory directory)
    {
        _context = context;
        _link = link;
        _outbox = outbox;
        _inbox = inbox;
        _receipts = receipts;
        _contacts = contacts;
        _directory = directory;
    }

    /// <summary>Which incoming messages are shown (marked read) as they arrive; see <see cref="DisplayPolicy"/>.</summary>
    public DisplayPolicy DisplayPolicy
    {
        get => _inbox.Policy;
        set => _inbox.Policy = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Encrypts and sends a text message; returns once the server has stored it.</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the operation (the message stays in the outbox).</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ParleyClientException">
    /// <see cref="ClientErrorKind.ServerUnreachableMessageQueued"/> when the server cannot be reached (the
    /// message is sent on the next connection), or the refusal (not a contact, blocked, key changed…).
    /// </exception>
    public Task<MessageId> SendAsync(string peer, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return SendContentAsync(peer, (id, sentAtMs) => new MessageContent { Kind = ContentKind.Text, Id = id, SentAtMs = sentAtMs, Text = text }, text, cancellationToken);
    }

    /// <summary>Sends a file message carrying <paramref name="file"/> (uploaded already); as <see cref="SendAsync"/> otherwise.</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="file">The pointer; the caller keeps and disposes it.</param>
    /// <param name="cancellationToken">Cancels the operation (the message stays in the outbox).</param>
    /// <returns>The message id.</returns>
    internal Task<MessageId> SendFileAsync(string peer, Transfers.FilePointer file, CancellationToken cancellationToken) =>
        SendContentAsync(peer, (id, sentAtMs) => new MessageContent { Kind = ContentKind.File, Id = id, SentAtMs = sentAtMs, File = file },
            Transfers.FileMessageText.Format(file), cancellationToken);

    private async Task<MessageId> SendContentAsync(string peer, Func<MessageId, long, MessageContent> build, string storedText, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        var id = await _context.LockedAsync(() => PrepareLockedAsync(name, build, storedText, cancellationToken), cancellationToken).ConfigureAwait(false);
        var verdict = _outbox.Watch(id);
        try
        {
            if (_link.State == RelayLinkState.Connected)
            {
                await _outbox.FlushAsync(_link, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _link.ConnectAsync(cancellationToken).ConfigureAwait(false); // flushes on connect
            }

            var kind = await verdict.WaitAsync(_link.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return kind is null ? id : throw new ParleyClientException(kind.Value);
        }
        catch (Exception e) when (e is TimeoutException || e is ParleyClientException { Kind: ClientErrorKind.ServerUnreachable })
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachableMessageQueued, e);
        }
        finally
        {
            _outbox.Unwatch(id);
        }
    }

    /// <summary>
    /// The last <paramref name="limit"/> messages with <paramref name="peer"/>. Messages shown here for
    /// the first time count as read: a read receipt goes to the peer when the server is reachable.
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="limit">How many messages.</param>
    /// <param name="cancellationToken">Cancels sending receipts.</param>
    /// <returns>The messages, oldest first.</returns>
    public async Task<IReadOnlyList<StoredMessage>> HistoryAsync(string peer, int limit, CancellationToken cancellationToken) =>
        (await HistoryPageAsync(peer, limit, before: null, cancellationToken).ConfigureAwait(false))!.Messages;

    /// <summary>
    /// One page of the conversation with <paramref name="peer"/>: the <paramref name="limit"/> messages
    /// before the cursor <paramref name="before"/> (the newest without it), with the cursor for the page
    /// before them. As <see cref="HistoryAsync"/>, messages not shown yet count as read now.
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="limit">How many messages (1..<see cref="Storage.ClientStore.MaxHistoryLimit"/>).</param>
    /// <param name="before">A cursor from an earlier page, or null for the newest page.</param>
    /// <param name="cancellationToken">Cancels sending receipts.</param>
    /// <returns>The page, or null when <paramref name="before"/> is not a message of this conversation.</returns>
    public async Task<Storage.HistoryPage?> HistoryPageAsync(string peer, int limit, MessageId? before, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        if (before is { } cursor && !await _context.Locked(() => _context.Store.HasMessage(name, cursor), cancellationToken).ConfigureAwait(false))
        {
            return null; // checked before anything is marked read
        }

        var unread = await _context.Locked(() => _context.Store.TakeUnshownIncoming(name), cancellationToken).ConfigureAwait(false);
        if (unread.Count > 0)
        {
            try
            {
                await _link.ConnectAsync(cancellationToken).ConfigureAwait(false);
                await _context.LockedAsync(() => _receipts.SendReadLockedAsync(_link, unread, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
            {
                // History is local; the read receipts are a courtesy that needs the server.
            }
        }

        return await _context.Locked(() => _context.Store.HistoryPage(name, limit, before), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each conversation's latest message and unread count (local only, no network): what a conversation list shows.</summary>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>One summary per conversation with messages.</returns>
    public Task<IReadOnlyList<Storage.ConversationSummary>> SummariesAsync(CancellationToken cancellationToken) =>
        _context.Locked(() => _context.Store.ConversationSummaries(), cancellationToken);

    /// <summary>
    /// Takes the incoming messages stored but not shown yet (of <paramref name="peer"/>, or everyone's):
    /// they count as read from now on, and read receipts go to their senders while the link is connected.
    /// What a user interface calls when it displays messages a daemon announced.
    /// </summary>
    /// <param name="peer">The contact, or null for every conversation.</param>
    /// <param name="cancellationToken">Cancels sending receipts.</param>
    /// <returns>The messages, oldest first.</returns>
    public Task<IReadOnlyList<StoredMessage>> TakeUnreadAsync(string? peer, CancellationToken cancellationToken)
    {
        var name = peer is null ? null : UserName.Parse(peer).Value;
        return _context.LockedAsync(async () =>
        {
            var unread = _context.Store.TakeUnshownIncoming(name);
            if (unread.Count > 0 && _link.State == RelayLinkState.Connected)
            {
                try
                {
                    await _receipts.SendReadLockedAsync(_link, unread, cancellationToken).ConfigureAwait(false);
                }
                catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
                {
                    // Read receipts are a courtesy that needs the server.
                }
            }

            return unread;
        }, cancellationToken);
    }

    /// <summary>Tells the contact we started or stopped typing (dropped while disconnected).</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="typing">Whether typing now.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task SetTypingAsync(string peer, bool typing, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        if (_link.State != RelayLinkState.Connected)
        {
            return Task.CompletedTask;
        }

        var content = new MessageContent
        {
            Kind = ContentKind.Typing, Id = MessageId.New(), SentAtMs = _context.Time.GetUtcNow().ToUnixTimeMilliseconds(), Typing = typing,
        };
        return _context.LockedAsync(() => _receipts.SendControlLockedAsync(_link, name, content, EnvelopeType.Typing, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Connects (or uses the open connection), resends the outbox, drains the offline queue and
    /// listens <paramref name="wait"/> longer, showing every message once; then tops up prekeys.
    /// </summary>
    /// <param name="wait">How long to keep listening after the queue is drained.</param>
    /// <param name="onEvent">Called for each message (once, ever) and event, in order.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages and events were reported.</returns>
    public async Task<int> ReceiveAsync(TimeSpan wait, Action<ClientEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var count = 0;
        using var subscription = _context.Events.Subscribe(e =>
        {
            count++;
            onEvent(e);
        });
        var previous = DisplayPolicy;
        DisplayPolicy = DisplayPolicy.ShowAll;
        try
        {
            if (_link.State == RelayLinkState.Connected)
            {
                await _context.LockedAsync(() => _receipts.ShowUnshownLockedAsync(_link, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            await _link.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await _link.WhenDrainedAsync(_context.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            await _directory.TryReplenishAsync(cancellationToken).ConfigureAwait(false);
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(_link.Disconnected, Task.Delay(wait, _context.Time, cancellationToken)).ConfigureAwait(false);
            }
        }
        finally
        {
            DisplayPolicy = previous;
        }

        return count;
    }

    /// <summary>Checks, sets up the session if needed, encrypts and stores the message with its outbox frame (gate held).</summary>
    private async Task<MessageId> PrepareLockedAsync(string name, Func<MessageId, long, MessageContent> build, string storedText, CancellationToken cancellationToken)
    {
        await EnsureCanSendLockedAsync(name, cancellationToken).ConfigureAwait(false);
        using var cipher = new SessionCipher(_context.Keys, _context.Keys, _context.Keys, name);
        if (!cipher.HasSession)
        {
            await BuildSessionLockedAsync(name, cancellationToken).ConfigureAwait(false);
        }

        var id = MessageId.New();
        var now = _context.Time.GetUtcNow();
        var content = build(id, now.ToUnixTimeMilliseconds());
        if (!content.FitsInOneMessage())
        {
            throw new ParleyClientException(ClientErrorKind.InvalidInput); // checked before the ratchet moves
        }
        _context.Store.InTransaction(() =>
        {
            var send = ContentSeal.Seal(_context, cipher, name, id, content);
            var message = new StoredMessage { Id = id, Peer = name, Direction = MessageDirection.Outgoing, State = DeliveryState.Pending, Text = storedText, SentAt = now };
            _context.Store.AddOutgoing(message, send.ToByteArray());
        });
        return id;
    }

    /// <summary>Refuses blocked contacts, changed keys and non-contacts (refreshing the list once) (gate held).</summary>
    internal async Task EnsureCanSendLockedAsync(string name, CancellationToken cancellationToken)
    {
        var contact = _context.Store.GetContact(name);
        if (contact is { BlockedByMe: true })
        {
            throw new ParleyClientException(ClientErrorKind.Blocked);
        }

        if (contact is { KeyChanged: true })
        {
            throw new ParleyClientException(ClientErrorKind.KeyChanged);
        }

        if (contact?.State != ContactState.Accepted)
        {
            await _contacts.RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
            contact = _context.Store.GetContact(name);
            if (contact is { BlockedByMe: true })
            {
                throw new ParleyClientException(ClientErrorKind.Blocked);
            }

            if (contact?.State != ContactState.Accepted)
            {
                throw new ParleyClientException(ClientErrorKind.NotAContact);
            }
        }
    }

    /// <summary>Fetches the peer's prekey bundle, checks it against the pinned identity and starts a session (gate held).</summary>
    internal async Task BuildSessionLockedAsync(string name, CancellationToken cancellationToken)
    {
        var bundle = await _directory.FetchBundleAsync(name, cancellationToken).ConfigureAwait(false);
        var builder = new SessionBuilder(_context.Keys, _context.Keys, name);
        var error = SessionError.None;
        var ok = false;
        _context.Store.InTransaction(() => ok = builder.TryProcessBundle(bundle, out error));
        if (ok)
        {
            return;
        }

        if (error == SessionError.UntrustedIdentity)
        {
            IdentityPins.Observe(_context.Store, name, bundle.IdentityKey.Serialize());
            throw new ParleyClientException(ClientErrorKind.KeyChanged);
        }

        throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
    }
}
