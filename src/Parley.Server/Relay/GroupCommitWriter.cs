using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Parley.Wire;

namespace Parley.Server.Relay;

/// <summary>
/// The single writer of the message queues. Sends and acknowledgements from every connection go into
/// one channel; the writer takes whatever has arrived, commits it as ONE transaction and only then
/// tells each sender its message is accepted. A message whose recipient acknowledged it before its
/// batch committed is dropped from the batch and never touches the disk. An idle writer commits at
/// once; a busy one waits up to <see cref="RelayOptions.GroupCommitWindow"/> to gather a larger batch.
/// A message already pushed to its recipient's live socket is held out of its first commit (at most
/// one window more): most are acknowledged meanwhile and cost neither an insert nor a delete. Its
/// sender hears ACCEPTED when it is acknowledged or, failing that, when the next commit writes it.
/// </summary>
public sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<WriterOp> _ops = Channel.CreateUnbounded<WriterOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<MessageKey, QueuedMessage> _collecting = [];
    private readonly List<QueueDelete> _carriedDeletes = [];
    private readonly List<(QueuedMessage Message, ISendCompletion Completion)> _deferred = [];
    private readonly IMessageQueueStore _store;
    private readonly QueueDepths _depths;
    private readonly RelayMetrics _metrics;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GroupCommitWriter> _logger;
    private IRelayCluster? _cluster;
    private Task? _loop;

    /// <summary>Creates the writer; <see cref="StartAsync"/> loads the queue state and starts it.</summary>
    public GroupCommitWriter(IMessageQueueStore store, QueueDepths depths, RelayMetrics metrics, IOptions<RelayOptions> options,
        TimeProvider time, ILogger<GroupCommitWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _depths = depths;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reads the queue depths, then starts the commit loop.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            return;
        }

        _depths.Reset(await _store.CountByRecipientAsync(cancellationToken));
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>
    /// Attaches the cluster hook told about every committed batch (set once at start-up; the cluster
    /// itself depends on the writer, so it cannot come through the constructor).
    /// </summary>
    public void AttachCluster(IRelayCluster cluster) => _cluster = cluster;

    /// <summary>Queues a message; the completion is told after its batch commits (or it is refused).</summary>
    public void Submit(QueuedMessage message, ISendCompletion completion)
    {
        if (!_ops.Writer.TryWrite(WriterOp.Send(message, completion)))
        {
            completion.Complete(message, SendStatus.TryAgain);
        }
    }

    /// <summary>Queues an acknowledgement (deletion) from a recipient.</summary>
    public void Acknowledge(QueueDelete delete) => _ops.Writer.TryWrite(WriterOp.Ack(delete));

    /// <summary>
    /// Queues the deletions of one AckBatch frame as one unit of work (one channel write and read, not
    /// one per id). The list is the writer's from now on.
    /// </summary>
    public void Acknowledge(List<QueueDelete> deletes)
    {
        ArgumentNullException.ThrowIfNull(deletes);
        if (deletes.Count > 0)
        {
            _ops.Writer.TryWrite(WriterOp.AckMany(deletes));
        }
    }

    /// <summary>
    /// Completes once everything submitted before this call has been committed (or refused). A
    /// connecting client waits for this before reading its queue, so nothing submitted while it was
    /// offline is missed.
    /// </summary>
    public Task BarrierAsync()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_ops.Writer.TryWrite(WriterOp.Barrier(signal)))
        {
            signal.TrySetResult();
        }

        return signal.Task;
    }

    /// <summary>Runs a store operation between batches (expiry, account deletion), then re-reads the depths.</summary>
    public Task MaintainAsync(Func<IMessageQueueStore, CancellationToken, Task> action)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_ops.Writer.TryWrite(WriterOp.Maintain(action, signal)))
        {
            signal.TrySetException(new ObjectDisposedException(nameof(GroupCommitWriter)));
        }

        return signal.Task;
    }

    /// <summary>Stops taking work, commits what is pending and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _ops.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        var reader = _ops.Reader;
        var busy = false;
        while (true)
        {
            // With held-out messages the wait for work was already bounded by the window: no second wait.
            var holding = _deferred.Count > 0;
            if (!await WaitForWorkAsync(reader))
            {
                break;
            }

            // New work is collected first, so the acknowledgements that arrived for held-out messages
            // are read (and drop them) even when a backlog of held-out messages fills a whole batch.
            var batch = new PendingBatch();
            Collect(reader, batch);
            if (busy && !holding && batch.Size < _options.MaxBatchSize && _options.GroupCommitWindow > TimeSpan.Zero)
            {
                await Task.Delay(_options.GroupCommitWindow, _time);
                Collect(reader, batch);
            }

            // Held-out messages are older than anything collected now: they go first, so the
            // store's sequence keeps each sender's order; this commit writes whichever were not
            // acknowledged meanwhile.
            batch.Sends.InsertRange(0, _deferred);
            _deferred.Clear();

            busy = batch.Size > 1;
            await CommitAsync(batch);
            await RunMaintenanceAsync(batch);
        }

        if (_deferred.Count > 0)
        {
            // Shutting down: nothing is held back any more.
            var last = new PendingBatch { CanDefer = false };
            last.Sends.AddRange(_deferred);
            _deferred.Clear();
            await CommitAsync(last);
        }
    }

    /// <summary>Waits for new work; with held-out messages pending, at most one window (they must not wait for traffic).</summary>
    private async Task<bool> WaitForWorkAsync(ChannelReader<WriterOp> reader)
    {
        if (_deferred.Count == 0)
        {
            return await reader.WaitToReadAsync();
        }

        var more = reader.WaitToReadAsync().AsTask();
        if (!more.IsCompleted)
        {
            await Task.WhenAny(more, Task.Delay(_options.GroupCommitWindow, _time));
        }

        return !more.IsCompleted || await more;
    }
}
