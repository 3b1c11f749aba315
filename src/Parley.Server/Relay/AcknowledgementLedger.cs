namespace Parley.Server.Relay;

/// <summary>
/// What a cluster connection must remember so that a catch-up drain never sends a message twice
/// (not thread-safe: <see cref="RelayConnection"/> calls it under its lock). Acknowledged ids stay
/// "pending" until their deletion commits. A deletion that commits while a drain is reading is not
/// forgotten at once but "retired" until that drain ends: the drain's statement may have seen the row
/// before it was deleted, and without this it would send it again. Also keeps the sequences recent
/// drains read (<see cref="RecentSequences"/>) so doorbells for rows already read cost nothing.
/// </summary>
internal sealed class AcknowledgementLedger
{
    private readonly HashSet<MessageId> _pending = [];
    private readonly HashSet<MessageId> _retired = [];
    private RecentSequences? _read;
    private bool _draining;

    /// <summary>Acknowledged ids whose deletion has not committed.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>The recipient acknowledged the id; its deletion is on its way to the store.</summary>
    public void Acknowledged(MessageId id) => _pending.Add(id);

    /// <summary>The id's deletion committed.</summary>
    public void DeletionCommitted(MessageId id)
    {
        if (_pending.Remove(id) && _draining)
        {
            _retired.Add(id);
        }
    }

    /// <summary>The account's stored queue was found empty: every pending deletion has committed.</summary>
    public void QueueFoundEmpty()
    {
        if (_draining)
        {
            _retired.UnionWith(_pending);
        }

        _pending.Clear();
    }

    /// <summary>True when the id was acknowledged here, so a drain reading it again must not send it.</summary>
    public bool Blocks(MessageId id) => _pending.Contains(id) || _retired.Contains(id);

    /// <summary>
    /// True: a drain is about to read the store (drains of one connection never overlap). False: the
    /// drain sent what it read, so ids retired during it can be forgotten.
    /// </summary>
    public void SetDraining(bool draining)
    {
        _draining = draining;
        if (!draining)
        {
            _retired.Clear();
        }
    }

    /// <summary>A drain read the stored row with this sequence.</summary>
    public void Read(long sequence) => (_read ??= new RecentSequences()).Add(sequence);

    /// <summary>True when a recent drain read the stored row with this sequence.</summary>
    public bool HasRead(long sequence) => _read is not null && _read.Contains(sequence);
}
