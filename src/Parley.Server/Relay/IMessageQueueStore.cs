namespace Parley.Server.Relay;

/// <summary>
/// Durable per-recipient message queues. Only <see cref="GroupCommitWriter"/> writes (one batch per
/// transaction); reads come from connections draining their queue. Implementations: SQLite and
/// PostgreSQL through the server's shared storage infrastructure.
/// </summary>
public interface IMessageQueueStore
{
    /// <summary>How many messages each recipient has queued.</summary>
    Task<IReadOnlyDictionary<long, int>> CountByRecipientAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts and deletes in ONE transaction, durable when the task completes. Fills
    /// <see cref="QueueBatch.Inserted"/> (false where (sender, id) already existed),
    /// <see cref="QueuedMessage.Sequence"/> of each inserted message (assigned by the database, in
    /// insertion order) and <see cref="QueueBatch.Deleted"/> (rows removed per delete).
    /// </summary>
    Task CommitAsync(QueueBatch batch, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> messages for a recipient with sequence above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<QueuedMessage>> ReadAsync(long recipientId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The next page of several queues at once: for each position i, up to <paramref name="limitPerRecipient"/>
    /// messages of <paramref name="recipientIds"/>[i] with sequence above <paramref name="afterSequences"/>[i],
    /// in order (a recipient may appear twice; each position gets its own page). PostgreSQL answers with
    /// one statement — the cluster's catch-up drains for every account rung in one tick.
    /// </summary>
    Task<IReadOnlyList<IReadOnlyList<QueuedMessage>>> ReadManyAsync(IReadOnlyList<long> recipientIds, IReadOnlyList<long> afterSequences,
        int limitPerRecipient, CancellationToken cancellationToken);

    /// <summary>Deletes messages accepted before <paramref name="createdBeforeMs"/>; returns how many.</summary>
    Task<int> ExpireAsync(long createdBeforeMs, CancellationToken cancellationToken);

    /// <summary>Deletes an account's queue and every message it sent that is still queued; returns how many.</summary>
    Task<int> DeleteAccountAsync(long accountId, CancellationToken cancellationToken);
}

/// <summary>An acknowledgement to apply: the recipient's copy of a message leaves its queue.</summary>
/// <param name="RecipientId">The queue owner (only the recipient can delete).</param>
/// <param name="Key">The message's idempotency key.</param>
public readonly record struct QueueDelete(long RecipientId, MessageKey Key);

/// <summary>One group commit: what to insert and delete, and (filled by the store) what happened.</summary>
public sealed class QueueBatch
{
    /// <summary>Messages to insert, in the order their sequence numbers are to be assigned.</summary>
    public List<QueuedMessage> Inserts { get; } = [];

    /// <summary>Acknowledged messages to delete.</summary>
    public List<QueueDelete> Deletes { get; } = [];

    /// <summary>Per insert: true when a row was created, false when (sender, id) already existed.</summary>
    public bool[] Inserted { get; set; } = [];

    /// <summary>Per delete: rows removed (0 or 1).</summary>
    public int[] Deleted { get; set; } = [];

    /// <summary>
    /// Throws unless the created rows drew their sequence numbers in the batch's order. The queue's
    /// order is the sequence, so a drain would otherwise see a sender's messages reordered. Both
    /// engines number the rows of one multi-row insert in order; a store checks before it commits, so
    /// a violation abandons the transaction (its senders retry) instead of committing out of order.
    /// </summary>
    internal void CheckSequenceOrder()
    {
        var last = long.MinValue;
        for (var i = 0; i < Inserts.Count; i++)
        {
            if (Inserted[i])
            {
                if (Inserts[i].Sequence <= last)
                {
                    throw new InvalidOperationException("The database assigned queue sequence numbers out of the batch's order.");
                }

                last = Inserts[i].Sequence;
            }
        }
    }
}
