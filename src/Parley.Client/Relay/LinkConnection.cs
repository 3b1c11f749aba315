using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using Parley.Client.Errors;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Client.Relay;

/// <summary>
/// One socket's worth of a <see cref="RelayLink"/>: the reading loop, the senders waiting for
/// verdicts, the queue-empty signal and a pending presence query. A new one is made for every
/// (re)connection, so nothing of a dead socket leaks into the next.
/// </summary>
internal sealed class LinkConnection : IAsyncDisposable
{
    private readonly RelayConnection _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SendResult>> _waiting = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _queueEmpty = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _presenceLock = new(1, 1);
    private PresenceCollector? _presence;
    private readonly ByteBudget _buffered = new(LinkLimits.HandlerBufferBytes);
    private volatile bool _socketEnded;

    public LinkConnection(RelayConnection socket) => _socket = socket;

    /// <summary>Completes when the server said the offline queue is drained; faults when the socket ends first.</summary>
    public Task QueueEmpty => _queueEmpty.Task;

    /// <summary>The reading loop; completes when the socket closes or <see cref="DisposeAsync"/> runs.</summary>
    public Task Reading { get; private set; } = Task.CompletedTask;

    /// <summary>Completes (never faults) when the reading loop has ended, however it ended.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Cancelled when this connection is closing.</summary>
    public CancellationToken Closing => _closing.Token;

    public void Start(RelayLink link, IRelayHandler handler) => Reading = ReadAsync(link, handler, _closing.Token);

    public async Task<SendResult> SendAndWaitAsync(Send send, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = Key(send.MessageId);
        _waiting[key] = waiter;
        try
        {
            await _socket.SendAsync(new ClientFrame { Send = send }, cancellationToken).ConfigureAwait(false);
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
        }
        finally
        {
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<SendResult>>(key, waiter));
        }
    }

    public Task SendAsync(ClientFrame frame, CancellationToken cancellationToken) => _socket.SendAsync(frame, cancellationToken);

    public async Task<IReadOnlyList<Parley.Wire.Presence>> QueryPresenceAsync(IReadOnlyCollection<string> names, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _presenceLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var collector = new PresenceCollector();
            _presence = collector;
            var query = new PresenceQuery();
            query.Usernames.AddRange(names);
            await _socket.SendAsync(new ClientFrame { PresenceQuery = query }, cancellationToken).ConfigureAwait(false);
            try
            {
                return await collector.Done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
            }
        }
        finally
        {
            _presence = null;
            _presenceLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        try
        {
            await Reading.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException or TimeoutException)
        {
            // The loop ends by cancellation or because the socket closed; either is the expected end.
        }

        await _socket.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
        _presenceLock.Dispose();
        _buffered.Dispose();
    }

    private async Task ReadAsync(RelayLink link, IRelayHandler handler, CancellationToken cancellationToken)
    {
        await Task.Yield();
        // Verdicts, pongs and presence answers are settled here as they arrive; everything for the
        // handler goes through a bounded buffer to one dispatcher, which hands over consecutive
        // deliveries together (stored in one transaction, acknowledged in one frame).
        var frames = Channel.CreateBounded<ServerFrame>(new BoundedChannelOptions(LinkLimits.HandlerBufferFrames)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var dispatching = DispatchLoopAsync(link, handler, frames.Reader, failed, cancellationToken);
        try
        {
            try
            {
                // Verdicts may come batched from now on (PROTOCOL.md 10.7); single SendResults stay understood.
                await _socket.SendAsync(new ClientFrame { Capabilities = new Capabilities { SendResultBatch = true } }, failed.Token).ConfigureAwait(false);
                while (!failed.IsCancellationRequested)
                {
                    var frame = await _socket.ReceiveAsync(failed.Token).ConfigureAwait(false);
                    if (frame is null)
                    {
                        _socketEnded = true; // what is still buffered is not handled: unacknowledged, the server delivers it again
                        break;
                    }

                    if (!SettledHere(frame))
                    {
                        await _buffered.TakeAsync(frame.CalculateSize(), failed.Token).ConfigureAwait(false);
                        await frames.Writer.WriteAsync(frame, failed.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The dispatcher failed; its exception is the one to report, below.
            }
            finally
            {
                frames.Writer.TryComplete();
            }

            await dispatching.ConfigureAwait(false);
        }
        finally
        {
            var closed = new ParleyClientException(ClientErrorKind.ServerUnreachable);
            foreach (var waiter in _waiting.Values)
            {
                waiter.TrySetException(closed);
            }

            _queueEmpty.TrySetException(closed);
            _presence?.Done.TrySetException(closed);
            _ = _queueEmpty.Task.Exception; // observed: nobody may be waiting for it
            _ended.TrySetResult();
        }
    }

    /// <summary>Settles what needs no handler (true), or leaves the frame for the dispatcher (false).</summary>
    private bool SettledHere(ServerFrame frame)
    {
        switch (frame.KindCase)
        {
            case ServerFrame.KindOneofCase.SendResult:
                Complete(frame.SendResult);
                return true;
            case ServerFrame.KindOneofCase.SendResultBatch:
                CompleteBatch(frame.SendResultBatch);
                return true;
            case ServerFrame.KindOneofCase.Pong:
                return true;
            case ServerFrame.KindOneofCase.PresenceQueryDone:
                _presence?.Done.TrySetResult(_presence.Seen);
                return true;
            case ServerFrame.KindOneofCase.Presence:
                _presence?.Seen.Add(frame.Presence); // before the Done that follows it; the handler sees it too
                return false;
            default:
                return false;
        }
    }

    private async Task DispatchLoopAsync(RelayLink link, IRelayHandler handler, ChannelReader<ServerFrame> frames, CancellationTokenSource failed, CancellationToken cancellationToken)
    {
        try
        {
            var deliveries = new List<Deliver>();
            while (!_socketEnded && await frames.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (!_socketEnded && frames.TryRead(out var frame))
                {
                    if (frame.KindCase != ServerFrame.KindOneofCase.Deliver)
                    {
                        if (frame.KindCase == ServerFrame.KindOneofCase.QueueEmpty)
                        {
                            _queueEmpty.TrySetResult(); // after every delivery before it was handled
                        }

                        await handler.OnFrameAsync(link, frame, cancellationToken).ConfigureAwait(false);
                        _buffered.Give(frame.CalculateSize());
                        continue;
                    }

                    deliveries.Add(frame.Deliver);
                    long bytes = frame.CalculateSize();
                    while (deliveries.Count < LinkLimits.MaxDeliveriesPerBatch && frames.TryPeek(out var next)
                        && next.KindCase == ServerFrame.KindOneofCase.Deliver && frames.TryRead(out next))
                    {
                        deliveries.Add(next.Deliver);
                        bytes += next.CalculateSize();
                    }

                    await handler.OnDeliveriesAsync(link, deliveries, cancellationToken).ConfigureAwait(false);
                    _buffered.Give(bytes);
                    deliveries = [];
                }
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await failed.CancelAsync().ConfigureAwait(false); // stops the reader, which then reports this
            throw;
        }
    }

    private void Complete(SendResult result)
    {
        if (_waiting.TryRemove(Key(result.MessageId), out var waiter))
        {
            waiter.TrySetResult(result);
        }
    }

    /// <summary>A batch is one SendResult per id: first the accepted ids, then the others (PROTOCOL.md 10.7).</summary>
    private void CompleteBatch(SendResultBatch batch)
    {
        var accepted = batch.AcceptedIds.Span;
        if (!MessageIdList.IsValid(accepted, allowEmpty: true))
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        for (var i = 0; i < MessageIdList.Count(accepted); i++)
        {
            Complete(new SendResult { MessageId = ByteString.CopyFrom(MessageIdList.At(accepted, i)), Status = SendStatus.Accepted });
        }

        foreach (var result in batch.Others)
        {
            Complete(result);
        }
    }

    private static string Key(ByteString id) => Convert.ToHexString(id.Span);

    private sealed class PresenceCollector
    {
        public List<Parley.Wire.Presence> Seen { get; } = [];

        public TaskCompletionSource<IReadOnlyList<Parley.Wire.Presence>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
