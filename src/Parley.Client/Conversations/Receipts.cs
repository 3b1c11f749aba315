using Google.Protobuf;
using Parley.Client.Messaging;
using Parley.Client.Relay;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client.Conversations;

/// <summary>
/// Delivery and read receipts and other control messages (typing): encrypted like any message, sent
/// without the outbox (losing one is harmless), never to a blocked contact or one whose key changed.
/// All methods expect the profile's gate held.
/// </summary>
internal sealed class Receipts
{
    private readonly ProfileContext _context;

    public Receipts(ProfileContext context) => _context = context;

    /// <summary>Hands out stored-but-unshown messages once (of one peer, or everyone's) and tells their senders they were read.</summary>
    public async Task ShowUnshownLockedAsync(RelayLink link, string? peer, CancellationToken cancellationToken)
    {
        var shown = _context.Store.TakeUnshownIncoming(peer);
        foreach (var message in shown)
        {
            _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.Message, Peer = message.Peer, Message = message });
        }

        await SendReadLockedAsync(link, shown, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends read receipts for messages just shown, in batches of at most <see cref="MessageContent.MaxReceiptIds"/>.</summary>
    public async Task SendReadLockedAsync(RelayLink link, IReadOnlyList<StoredMessage> shown, CancellationToken cancellationToken)
    {
        foreach (var group in shown.GroupBy(m => m.Peer, StringComparer.Ordinal))
        {
            foreach (var chunk in group.Select(m => m.Id).Chunk(MessageContent.MaxReceiptIds))
            {
                await SendLockedAsync(link, group.Key, ReceiptKind.Read, chunk, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task SendLockedAsync(RelayLink link, string peer, ReceiptKind kind, IReadOnlyList<MessageId> ids, CancellationToken cancellationToken)
    {
        var content = new MessageContent
        {
            Kind = ContentKind.Receipt, Id = MessageId.New(), SentAtMs = _context.Time.GetUtcNow().ToUnixTimeMilliseconds(), Receipt = kind, Ids = ids,
        };
        return SendControlLockedAsync(link, peer, content, EnvelopeType.Receipt, cancellationToken);
    }

    /// <summary>Moves our messages named in a receipt forward (delivered, read); only the peer's own.</summary>
    public void ApplyLocked(string sender, MessageContent receipt)
    {
        var state = receipt.Receipt == ReceiptKind.Read ? DeliveryState.Read : DeliveryState.Delivered;
        foreach (var id in receipt.Ids!)
        {
            if (_context.Store.GetMessage(id) is { Direction: MessageDirection.Outgoing } mine && mine.Peer == sender)
            {
                _context.Store.AdvanceState(id, state);
            }
        }
    }

    /// <summary>Encrypts and sends a control message if there is a usable session; drops it otherwise.</summary>
    public async Task SendControlLockedAsync(RelayLink link, string peer, MessageContent content, EnvelopeType type, CancellationToken cancellationToken)
    {
        var contact = _context.Store.GetContact(peer);
        using var cipher = new SessionCipher(_context.Keys, _context.Keys, _context.Keys, peer);
        if (contact is null || contact.KeyChanged || contact.BlockedByMe || !cipher.HasSession || link.State != RelayLinkState.Connected)
        {
            return;
        }

        Send? send = null;
        _context.Store.InTransaction(() => send = ContentSeal.Seal(_context, cipher, peer, content.Id, content, type));
        await link.SendAndForgetAsync(send!, cancellationToken).ConfigureAwait(false);
    }
}
