using System.Net.WebSockets;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Server.Relay;

/// <summary>
/// One authenticated client socket: what was delivered on it and not yet acknowledged, and its drains.
/// Outgoing frames go through its <see cref="RelayOutput"/>. While the connection drains its stored
/// queue, live messages are held back and sent afterwards, so per-sender order is kept and nothing is
/// sent twice.
/// </summary>
public sealed class RelayConnection : ISendCompletion
{
    private readonly RelayOutput _output;
    private readonly Dictionary<MessageId, long> _unacked = [];
    private readonly Lock _gate = new();
    private List<QueuedMessage>? _held = [];
    private AcknowledgementLedger? _ledger;

    /// <summary>Wraps an accepted socket of an authenticated account.</summary>
    public RelayConnection(WebSocket socket, long accountId, string username, byte[]? sessionTokenHash = null)
        : this(socket, null, accountId, username, sessionTokenHash)
    {
    }

    /// <summary>
    /// Wraps a socket accepted at the connection level over <paramref name="transport"/>: a run of
    /// queued frames is written to it with one flush (one socket write) instead of one each.
    /// </summary>
    internal RelayConnection(WebSocket socket, DuplexPipeStream? transport, long accountId, string username, byte[]? sessionTokenHash)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(username);
        Socket = socket;
        AccountId = accountId;
        Username = username;
        SessionTokenHash = sessionTokenHash;
        _output = new RelayOutput(this, transport);
    }

    /// <summary>Cancels sends when the connection is aborted (set by the session before anything is queued).</summary>
    internal CancellationToken Aborted { get; set; }

    /// <summary>Hash of the session token the socket was opened with (to close it when that session is revoked).</summary>
    public byte[]? SessionTokenHash { get; }

    /// <summary>The socket.</summary>
    public WebSocket Socket { get; }

    /// <summary>The authenticated account.</summary>
    public long AccountId { get; }

    /// <summary>The authenticated username.</summary>
    public string Username { get; }

    /// <summary>Bounds the sends of this connection waiting for their commit (read back-pressure).</summary>
    internal SemaphoreSlim InFlight { get; } = new(RelayLimits.MaxInFlightSendsPerConnection);

    /// <summary>One drain of the stored queue at a time (the first on connect, catch-ups after doorbells).</summary>
    internal SemaphoreSlim DrainGate { get; } = new(1, 1);

    /// <summary>The highest sequence a drain of this connection has read (only drains touch it, under <see cref="DrainGate"/>).</summary>
    internal long DrainedThrough { get; set; }

    /// <summary>Random id of this connection in the cluster's "account connected" announcements.</summary>
    internal long ClusterNonce { get; set; }

    /// <summary>
    /// Set once this connection's own "connected" announcement came back from Redis: an announcement for
    /// the same account arriving after that is newer, so this connection is the one to close.
    /// </summary>
    internal bool AnnouncedClusterWide { get; set; }

    /// <summary>Set when the server ended the connection (replaced by a newer one, session revoked).</summary>
    internal (WebSocketCloseStatus Status, string Reason)? Termination { get; private set; }

    /// <summary>Queues a frame for sending; frames after the socket closed are dropped.</summary>
    public void Enqueue(ServerFrame frame) => _output.Enqueue(frame);

    /// <summary>The client understands SendResultBatch (it sent Capabilities); later results are gathered.</summary>
    internal void EnableResultBatches() => _output.EnableResultBatches();

    /// <inheritdoc />
    public void Complete(QueuedMessage message, SendStatus status)
    {
        ArgumentNullException.ThrowIfNull(message);
        InFlight.Release();
        _output.AddResult(message.Id, status);
    }

    /// <summary>A live message for this account: sent now, or held while the stored queue drains.</summary>
    internal void PushLive(QueuedMessage message)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(message);
                return;
            }

            SendLocked(message);
        }
    }

    /// <summary>
    /// An online-only message (a typing notice) that was never stored: sent at once, not tracked for
    /// acknowledgement (an acknowledgement of it finds nothing to delete), lost if the socket drops.
    /// </summary>
    internal void PushEphemeral(QueuedMessage message) => _output.EnqueueDelivery(message);

    /// <summary>A message read from the store while draining (a cluster node remembers its sequence).</summary>
    internal void PushStored(QueuedMessage message)
    {
        lock (_gate)
        {
            _ledger?.Read(message.Sequence);
            SendLocked(message);
        }
    }

    /// <summary>A drain (under <see cref="DrainGate"/>) starts reading the store, or sent all it read (<see cref="AcknowledgementLedger"/>).</summary>
    internal void SetDraining(bool draining)
    {
        lock (_gate)
        {
            _ledger?.SetDraining(draining);
        }
    }

    /// <summary>True when a recent drain of this connection read the stored row with this sequence.</summary>
    internal bool HasRead(long sequence)
    {
        lock (_gate)
        {
            return _ledger is not null && _ledger.HasRead(sequence);
        }
    }

    /// <summary>Ends draining: sends the held live messages not already sent, then QueueEmpty.</summary>
    internal void FinishDrain()
    {
        lock (_gate)
        {
            foreach (var message in _held ?? [])
            {
                SendLocked(message);
            }

            _held = null;
            Enqueue(new ServerFrame { QueueEmpty = new QueueEmpty() });
        }
    }

    /// <summary>
    /// Remembers acknowledged ids until their deletion commits, and beyond it while a catch-up drain reads
    /// (<see cref="AcknowledgementLedger"/>). Only a cluster node needs this: a single node drains once.
    /// </summary>
    internal void TrackAcknowledgements()
    {
        lock (_gate)
        {
            _ledger ??= new AcknowledgementLedger();
        }
    }

    /// <summary>The deletion of an acknowledged message committed (or the queue was found empty): forget it.</summary>
    internal void ForgetAcknowledged(MessageId id)
    {
        lock (_gate)
        {
            _ledger?.DeletionCommitted(id);
        }
    }

    /// <summary>Forgets every acknowledged id (the account's stored queue is empty).</summary>
    internal void ForgetAllAcknowledged()
    {
        lock (_gate)
        {
            _ledger?.QueueFoundEmpty();
        }
    }

    /// <summary>Messages sent on this connection whose rows may still be in the store (unacknowledged or deletion pending).</summary>
    internal int OutstandingCount
    {
        get
        {
            lock (_gate)
            {
                return _unacked.Count + (_ledger?.PendingCount ?? 0);
            }
        }
    }

    /// <summary>Resolves an acknowledged id to the message's key; false if this connection never delivered it.</summary>
    internal bool TryTakeDelivered(MessageId id, out MessageKey key)
    {
        lock (_gate)
        {
            if (_unacked.Remove(id, out var sender))
            {
                _ledger?.Acknowledged(id);
                key = new MessageKey(sender, id);
                return true;
            }
        }

        key = default;
        return false;
    }

    /// <summary>
    /// Resolves the packed ids of a well-formed AckBatch under one lock; the ones this connection delivered
    /// (and not yet saw acknowledged) are returned as deletions of this account's queue, in the frame's order.
    /// </summary>
    internal List<QueueDelete> TakeDelivered(ReadOnlySpan<byte> packedIds)
    {
        var count = MessageIdList.Count(packedIds);
        var deletes = new List<QueueDelete>(count);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                if (MessageId.TryRead(MessageIdList.At(packedIds, i), out var id) && _unacked.Remove(id, out var sender))
                {
                    _ledger?.Acknowledged(id);
                    deletes.Add(new QueueDelete(AccountId, new MessageKey(sender, id)));
                }
            }
        }

        return deletes;
    }

    /// <summary>Ends the connection from the server side: queued frames go out, then a close with this status.</summary>
    internal void Terminate(WebSocketCloseStatus status, string reason)
    {
        Termination ??= (status, reason);
        StopSending();
    }

    /// <summary>
    /// Takes no more frames. The returned task completes once the frames already queued are sent and,
    /// if the server ended the connection (<see cref="Terminate"/>), its close frame too.
    /// </summary>
    internal Task StopSending() => _output.StopSending();

    private void SendLocked(QueuedMessage message)
    {
        if (_ledger is not null && _ledger.Blocks(message.Id))
        {
            return;
        }

        if (!_unacked.TryAdd(message.Id, message.SenderId))
        {
            return;
        }

        _output.EnqueueDelivery(message);
    }
}
