using System.Net.WebSockets;

namespace Parley.Server.Relay;

/// <summary>
/// The frames waiting for one socket, in order. A pump on the thread pool sends them while there is
/// something to send and ends when the queue is empty, so an idle connection holds no send loop, no
/// waiter and no queue storage — only this object. One pump at a time, so frames leave in the order
/// they were queued. After <see cref="Complete"/> nothing more is taken; <see cref="Drained"/>
/// completes once what was queued before has been sent (or the socket failed). The send function is
/// told whether more frames are already waiting behind the one it sends, so it can leave the flush
/// to the last of them (one socket write for a run of frames).
/// </summary>
internal sealed class OutboundQueue<T>(Func<T, bool, ValueTask> send) : IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private Queue<T>? _frames;
    private bool _pumping;
    private bool _completed;
    private TaskCompletionSource? _drained;
    private Exception? _fault;

    /// <summary>
    /// Completes once the queue was completed and everything queued before was sent or dropped by a
    /// failed socket; faults if sending failed for any other reason than the socket going away.
    /// </summary>
    public Task Drained
    {
        get
        {
            lock (_gate)
            {
                if (_completed && !_pumping)
                {
                    return _fault is null ? Task.CompletedTask : Task.FromException(_fault);
                }

                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _drained.Task;
            }
        }
    }

    /// <summary>Queues a frame; false once the queue is completed (the frame is dropped).</summary>
    public bool TryEnqueue(T frame)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            (_frames ??= new Queue<T>()).Enqueue(frame);
            if (_pumping)
            {
                return true;
            }

            _pumping = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    /// <summary>Takes no more frames; those already queued are still sent.</summary>
    public void Complete()
    {
        TaskCompletionSource? drained;
        lock (_gate)
        {
            _completed = true;
            drained = _pumping ? null : _drained;
        }

        drained?.TrySetResult();
    }

    /// <inheritdoc />
    void IThreadPoolWorkItem.Execute() => _ = PumpAsync();

    private async Task PumpAsync()
    {
        while (TryTake(out var frame, out var more))
        {
            try
            {
                await send(frame, more).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The socket went away; the receive side notices and ends the session.
                Fail(null);
                return;
            }
#pragma warning disable CA1031 // Anything else is a fault, reported to whoever awaits Drained (the session).
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Fail(exception);
                return;
            }
        }
    }

    private bool TryTake(out T frame, out bool more)
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (_frames is { Count: > 0 })
            {
                frame = _frames.Dequeue();
                more = _frames.Count > 0;
                return true;
            }

            // Empty: let the storage go (a burst may have grown it) and stop until the next frame.
            _frames = null;
            _pumping = false;
            if (_completed)
            {
                drained = _drained;
            }
        }

        drained?.TrySetResult();
        frame = default!;
        more = false;
        return false;
    }

    private void Fail(Exception? fault)
    {
        TaskCompletionSource? drained;
        lock (_gate)
        {
            _fault = fault;
            _completed = true;
            _frames = null;
            _pumping = false;
            drained = _drained;
        }

        if (fault is null)
        {
            drained?.TrySetResult();
        }
        else
        {
            drained?.TrySetException(fault);
        }
    }
}
