using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Server.Relay;

/// <summary>
/// The send side of one <see cref="RelayConnection"/>. Frames go through an <see cref="OutboundQueue{T}"/>
/// whose pump runs only while there is something to send; each is serialized into a pooled buffer only
/// while it is written, so an idle connection holds no buffers and no send loop. On a socket accepted
/// at the connection level (<see cref="DuplexPipeStream"/>) a run of queued frames is flushed once, so
/// the deliveries that pile up behind one write leave in one socket write. A client that announced
/// <see cref="Capabilities.SendResultBatch"/> gets its send results gathered: results that become final
/// while the previous frame is written go out together as one SendResultBatch.
/// </summary>
internal sealed class RelayOutput
{
    /// <summary>Marker in the outbound queue: "send the gathered results now".</summary>
    private static readonly ServerFrame FlushResults = new();
    private readonly RelayConnection _connection;
    private readonly DuplexPipeStream? _transport;
    private readonly OutboundQueue<Outgoing> _outbound;
    private readonly Lock _resultsGate = new();
    private List<(MessageId Id, SendStatus Status)> _results = [];
    private List<(MessageId Id, SendStatus Status)> _sending = [];
    private volatile bool _batchResults;
    private Task? _sendsFinished;

    /// <summary>The send side of <paramref name="connection"/>; <paramref name="transport"/> when its socket runs on the transport pipes.</summary>
    public RelayOutput(RelayConnection connection, DuplexPipeStream? transport)
    {
        _connection = connection;
        _transport = transport;
        _outbound = new OutboundQueue<Outgoing>(SendQueuedAsync);
    }

    /// <summary>Queues a frame for sending; frames after the socket closed are dropped.</summary>
    public void Enqueue(ServerFrame frame) => _outbound.TryEnqueue(new Outgoing(frame, null));

    /// <summary>Queues the delivery of a queue entry (an envelope is encoded straight from the entry when it is sent).</summary>
    public void EnqueueDelivery(QueuedMessage message) =>
        _outbound.TryEnqueue(DeliverEncoding.Applies(message) ? new Outgoing(null, message) : new Outgoing(RelayFrames.ToFrame(message), null));

    /// <summary>The client understands SendResultBatch (it sent Capabilities); later results are gathered.</summary>
    public void EnableResultBatches() => _batchResults = true;

    /// <summary>Sends a message's send result, alone or gathered with others.</summary>
    public void AddResult(MessageId id, SendStatus status)
    {
        if (!_batchResults)
        {
            Enqueue(new ServerFrame { SendResult = new SendResult { MessageId = UnsafeByteOperations.UnsafeWrap(id.ToBytes()), Status = status } });
            return;
        }

        bool first;
        lock (_resultsGate)
        {
            _results.Add((id, status));
            first = _results.Count == 1;
        }

        if (first)
        {
            // One marker per gathering: everything added before the send loop reaches it rides along.
            _outbound.TryEnqueue(new Outgoing(FlushResults, null));
        }
    }

    /// <summary>
    /// Takes no more frames. The returned task completes once the frames already queued are sent and,
    /// if the server ended the connection, its close frame too.
    /// </summary>
    public Task StopSending()
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
        var socket = _connection.Socket;
        if (_connection.Termination is { } end && socket.State == WebSocketState.Open)
        {
            try
            {
                await socket.CloseOutputAsync(end.Status, end.Reason, _connection.Aborted).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The socket went away first: nothing left to close.
            }
        }
    }

    private async ValueTask SendQueuedAsync(Outgoing item, bool more)
    {
        if (_transport is not null)
        {
            _transport.DeferFlush = more;
        }

        var aborted = _connection.Aborted;
        await (item.Delivery is { } message ? SendDeliveryAsync(message, aborted)
            : ReferenceEquals(item.Frame, FlushResults) ? SendGatheredResultsAsync(aborted)
            : SendFrameAsync(item.Frame!, aborted));
        if (!more && _transport is { HasUnflushed: true })
        {
            // The last of a run wrote nothing of its own (an empty gathering): flush what the run wrote.
            await _transport.FlushPendingAsync(aborted);
        }
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

    private async Task SendDeliveryAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DeliverEncoding.FrameSize(message));
        try
        {
            var size = DeliverEncoding.Write(message, buffer);
            await _connection.Socket.SendAsync(buffer.AsMemory(0, size), WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendFrameAsync(ServerFrame frame, CancellationToken cancellationToken)
    {
        var size = frame.CalculateSize();
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            frame.WriteTo(buffer.AsSpan(0, size));
            await _connection.Socket.SendAsync(buffer.AsMemory(0, size), WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
