using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Server.Relay;

/// <summary>
/// One authenticated client socket. Outgoing frames go through an <see cref="OutboundQueue"/> whose
/// pump runs only while there is something to send; frames are serialized into pooled buffers only
/// while they are being sent, so an idle connection holds no buffers and no send loop. While the connection drains its stored queue, live messages are held
/// back and sent afterwards, so per-sender order is kept and nothing is sent twice. A client that
/// announced <see cref="Capabilities.SendResultBatch"/> gets its send results gathered: results that
/// become final while the previous frame is written go out together as one SendResultBatch.
/// </summary>
public sealed class RelayConnection : ISendCompletion
{
    /// <summary>Marker in the outbound channel: "send the gathered results now".</summary>
    private static readonly ServerFrame FlushResults = new();
    private readonly OutboundQueue _outbound;
    private readonly Dictionary<MessageId, long> _unacked = [];
    private readonly Lock _gate = new();
    private readonly Lock _resultsGate = new();
    private List<QueuedMessage>? _held = [];
    private AcknowledgementLedger? _ledger;
    private List<(MessageId Id, SendStatus Status)> _results = [];
    private List<(MessageId Id, SendStatus Status)> _sending = [];
    private volatile bool _batchResults;
    private Task? _sendsFinished;

    /// <summary>Wraps an accepted socket of an authenticated account.</summary>
    public RelayConnection(WebSocket socket, long accountId, string username, byte[]? sessionTokenHash = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(username);
        Socket = socket;
        AccountId = accountId;
        Username = username;
        SessionTokenHash = sessionTokenHash;
        _outbound = new OutboundQueue(SendQueuedAsync);
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
    public void Enqueue(ServerFrame frame) => _outbound.TryEnqueue(frame);

    /// <summary>The client understands SendResultBatch (it sent Capabilities); later results are gathered.</summary>
    internal void EnableResultBatches() => _batchResults = true;

    /// <inheritdoc />
    public void Complete(QueuedMessage message, SendStatus status)
    {
        ArgumentNullException.ThrowIfNull(message);
        InFlight.Release();
        if (!_batchResults)
        {
            Enqueue(new ServerFrame { SendResult = new SendResult { MessageId = UnsafeByteOperations.UnsafeWrap(message.Id.ToBytes()), Status = status } });
            return;
        }

        bool first;
        lock (_resultsGate)
        {
            _results.Add((message.Id, status));
            first = _results.Count == 1;
        }

        if (first)
        {
            // One marker per gathering: everything added before the send loop reaches it rides along.
            _outbound.TryEnqueue(FlushResults);
        }
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
    internal void PushEphemeral(QueuedMessage message) => Enqueue(RelayFrames.ToFrame(message));

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
    internal Task StopSending()
    {
        lock (_resultsGate)
        {
            _outbound.Complete();
            return _sendsFinished ??= FinishSendingAsync();
        }
    }

    private async Task FinishSendingAsync()
    {
        // Always yields first: the caller holds a lock.
        await _outbound.Drained.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        if (Termination is { } end && Socket.State == WebSocketState.Open)
        {
            try
            {
                await Socket.CloseOutputAsync(end.Status, end.Reason, Aborted).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The socket went away first: nothing left to close.
            }
        }
    }

    private ValueTask SendQueuedAsync(ServerFrame frame) =>
        ReferenceEquals(frame, FlushResults) ? new ValueTask(SendGatheredResultsAsync(Aborted)) : new ValueTask(SendFrameAsync(frame, Aborted));

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

        Enqueue(RelayFrames.ToFrame(message));
    }

    private async Task SendGatheredResultsAsync(CancellationToken cancellationToken)
    {
        lock (_resultsGate)
        {
            (_sending, _results) = (_results, _sending);
        }

        try
        {
            for (var start = 0; start < _sending.Count; start += MessageIdList.MaxIds)
            {
                var count = Math.Min(MessageIdList.MaxIds, _sending.Count - start);
                await SendFrameAsync(RelayFrames.ToResultBatch(_sending, start, count), cancellationToken);
            }
        }
        finally
        {
            _sending.Clear();
        }
    }

    private async Task SendFrameAsync(ServerFrame frame, CancellationToken cancellationToken)
    {
        var size = frame.CalculateSize();
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            frame.WriteTo(buffer.AsSpan(0, size));
            await Socket.SendAsync(buffer.AsMemory(0, size), WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
