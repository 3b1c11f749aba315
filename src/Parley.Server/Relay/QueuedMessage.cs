namespace Parley.Server.Relay;

/// <summary>What a queue entry carries: an end-to-end envelope or a contact event.</summary>
public enum QueuedKind
{
    /// <summary>An encrypted envelope from another user; <see cref="QueuedMessage.Subtype"/> is its envelope type.</summary>
    Envelope = 0,

    /// <summary>A contact-relation event; <see cref="QueuedMessage.Subtype"/> is its event kind, the body its note.</summary>
    ContactEvent = 1,
}

/// <summary>
/// One entry of a recipient's queue, in memory and in the store. The body is opaque ciphertext (or a
/// contact request's UTF-8 note); the server never interprets it.
/// </summary>
public sealed class QueuedMessage
{
    /// <summary>Creates a queue entry.</summary>
    public QueuedMessage(long recipientId, long senderId, string senderName, MessageId id, QueuedKind kind, int subtype, byte[] body, long createdMs)
    {
        ArgumentNullException.ThrowIfNull(senderName);
        ArgumentNullException.ThrowIfNull(body);
        RecipientId = recipientId;
        SenderId = senderId;
        SenderName = senderName;
        Id = id;
        Kind = kind;
        Subtype = subtype;
        Body = body;
        CreatedMs = createdMs;
    }

    /// <summary>Account id of the recipient (queue owner).</summary>
    public long RecipientId { get; }

    /// <summary>Account id of the sender (for contact events: the other party).</summary>
    public long SenderId { get; }

    /// <summary>Username of the sender, as delivered.</summary>
    public string SenderName { get; }

    /// <summary>The sender-chosen (or server-chosen for contact events) id.</summary>
    public MessageId Id { get; }

    /// <summary>Envelope or contact event.</summary>
    public QueuedKind Kind { get; }

    /// <summary>Envelope type or contact event kind, as the protobuf enum's number.</summary>
    public int Subtype { get; }

    /// <summary>Ciphertext (or note).</summary>
    public byte[] Body { get; }

    /// <summary>Server acceptance time, Unix milliseconds.</summary>
    public long CreatedMs { get; }

    /// <summary>Store order; assigned by the writer, increasing in acceptance order.</summary>
    public long Sequence { get; set; }

    /// <summary>Pushed to the recipient's live connection when it was routed (it may be acknowledged before it is written).</summary>
    internal bool PushedLive { get; set; }

    /// <summary>Held out of one group commit already, waiting for its acknowledgement; the next commit writes it.</summary>
    internal bool Deferred { get; set; }

    /// <summary>The idempotency key.</summary>
    public MessageKey Key => new(SenderId, Id);
}
