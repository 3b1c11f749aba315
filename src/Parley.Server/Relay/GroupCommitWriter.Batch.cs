using System.Threading.Channels;
using Parley.Wire;

namespace Parley.Server.Relay;

public sealed partial class GroupCommitWriter
{
    private void Collect(ChannelReader<WriterOp> reader, PendingBatch batch)
    {
        while (batch.Size < _options.MaxBatchSize && reader.TryRead(out var op))
        {
            switch (op.Kind)
            {
                case WriterOpKind.Send:
                    CollectSend(op.Message!, op.Completion!, batch);
                    break;
                case WriterOpKind.Ack:
                    CollectAck(op.Delete, batch);
                    break;
                case WriterOpKind.AckMany:
                    // One frame's acknowledgements stay together (a batch may pass MaxBatchSize by at most one frame's ids).
                    foreach (var delete in op.Deletes!)
                    {
                        CollectAck(delete, batch);
                    }

                    break;
                case WriterOpKind.Barrier:
                    batch.Signals.Add(op.Signal!);
                    break;
                case WriterOpKind.Maintenance:
                    batch.Maintenance.Add((op.Maintenance!, op.Signal!));
                    break;
            }
        }
    }

    private void CollectSend(QueuedMessage message, ISendCompletion completion, PendingBatch batch)
    {
        if (_collecting.ContainsKey(message.Key))
        {
            batch.Duplicates.Add((message, completion));
            return;
        }

        _collecting[message.Key] = message;
        batch.Sends.Add((message, completion));
    }

    private void CollectAck(QueueDelete delete, PendingBatch batch)
    {
        if (_collecting.TryGetValue(delete.Key, out var pending) && pending.RecipientId == delete.RecipientId)
        {
            // Acknowledged before its batch committed: it never needs to reach the disk.
            _collecting.Remove(delete.Key);
            batch.Dropped.Add(pending);
            return;
        }

        batch.Deletes.Add(delete);
    }

    private async Task CommitAsync(PendingBatch batch)
    {
        HoldOutLiveMessages(batch);
        var commit = new QueueBatch();
        foreach (var (message, _) in batch.Sends)
        {
            if (!batch.Dropped.Contains(message))
            {
                commit.Inserts.Add(message);
            }
        }

        commit.Deletes.AddRange(_carriedDeletes);
        commit.Deletes.AddRange(batch.Deletes);
        _carriedDeletes.Clear();
        var ok = commit.Inserts.Count == 0 && commit.Deletes.Count == 0 || await TryCommitAsync(commit);
        Finish(batch, commit, ok);
        if (ok && (commit.Inserts.Count > 0 || commit.Deletes.Count > 0))
        {
            _cluster?.Committed(commit);
        }
    }

    /// <summary>
    /// Moves messages pushed live (and not yet acknowledged) out of this commit into the next one, once.
    /// Never in a batch with a barrier (a connecting client's drain must find everything routed before
    /// it) nor with a repeated send (its DUPLICATE_ACCEPTED must not precede the original's durability).
    /// </summary>
    private void HoldOutLiveMessages(PendingBatch batch)
    {
        if (!batch.CanDefer || batch.Signals.Count > 0 || batch.Maintenance.Count > 0 || batch.Duplicates.Count > 0
            || _options.GroupCommitWindow <= TimeSpan.Zero)
        {
            return;
        }

        // From the end: a live message is held out only if nothing after it for the same recipient is
        // written now, or the later one would take the earlier sequence number and a connecting
        // client's drain would see the sender's messages out of order.
        var hold = new bool[batch.Sends.Count];
        var writtenLater = new HashSet<long>();
        for (var i = batch.Sends.Count - 1; i >= 0; i--)
        {
            var message = batch.Sends[i].Message;
            if (batch.Dropped.Contains(message))
            {
                continue;
            }

            if (message.PushedLive && !message.Deferred && !writtenLater.Contains(message.RecipientId))
            {
                hold[i] = true;
            }
            else
            {
                writtenLater.Add(message.RecipientId);
            }
        }

        var kept = 0;
        for (var i = 0; i < batch.Sends.Count; i++)
        {
            var send = batch.Sends[i];
            if (hold[i])
            {
                send.Message.Deferred = true;
                _deferred.Add(send);
            }
            else
            {
                batch.Sends[kept++] = send;
            }
        }

        batch.Sends.RemoveRange(kept, batch.Sends.Count - kept);
    }

    private async Task<bool> TryCommitAsync(QueueBatch commit)
    {
        try
        {
            await _store.CommitAsync(commit, CancellationToken.None);
            _metrics.BatchCommitted(commit.Inserts.Count + commit.Deletes.Count);
            return true;
        }
#pragma warning disable CA1031 // A storage failure must not kill the writer; senders are told to retry.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCommitFailed(_logger, commit.Inserts.Count, commit.Deletes.Count, exception);
            _carriedDeletes.AddRange(commit.Deletes);
            return false;
        }
    }

    private void Finish(PendingBatch batch, QueueBatch commit, bool ok)
    {
        var inserted = 0;
        foreach (var (message, completion) in batch.Sends)
        {
            _collecting.Remove(message.Key);
            SendStatus status;
            if (batch.Dropped.Contains(message))
            {
                status = SendStatus.Accepted;
                _depths.Release(message.RecipientId, 1);
                _metrics.Delivered(1);
            }
            else if (!ok)
            {
                status = SendStatus.TryAgain;
                _depths.Release(message.RecipientId, 1);
            }
            else if (commit.Inserted[inserted++])
            {
                status = SendStatus.Accepted;
            }
            else
            {
                status = SendStatus.DuplicateAccepted;
                _depths.Release(message.RecipientId, 1);
            }

            if (status == SendStatus.Accepted)
            {
                _metrics.Accepted(1);
            }

            completion.Complete(message, status);
        }

        FinishDuplicates(batch, ok);
        if (ok)
        {
            for (var i = 0; i < commit.Deletes.Count; i++)
            {
                _depths.Release(commit.Deletes[i].RecipientId, commit.Deleted[i]);
                _metrics.Delivered(commit.Deleted[i]);
            }
        }

        foreach (var signal in batch.Signals)
        {
            signal.TrySetResult();
        }
    }

    private void FinishDuplicates(PendingBatch batch, bool ok)
    {
        foreach (var (message, completion) in batch.Duplicates)
        {
            _depths.Release(message.RecipientId, 1);
            completion.Complete(message, ok ? SendStatus.DuplicateAccepted : SendStatus.TryAgain);
        }
    }

    private async Task RunMaintenanceAsync(PendingBatch batch)
    {
        if (batch.Maintenance.Count == 0)
        {
            return;
        }

        foreach (var (action, signal) in batch.Maintenance)
        {
            try
            {
                await action(_store, CancellationToken.None);
                signal.TrySetResult();
            }
#pragma warning disable CA1031 // The failure goes to the caller that asked for the maintenance.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                signal.TrySetException(exception);
            }
        }

        try
        {
            _depths.Reset(await _store.CountByRecipientAsync(CancellationToken.None));
        }
#pragma warning disable CA1031 // Depths stay as they were; the next maintenance re-reads them.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCommitFailed(_logger, 0, 0, exception);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Relay batch commit failed ({Inserts} inserts, {Deletes} deletes); senders told to retry")]
    private static partial void LogCommitFailed(ILogger logger, int inserts, int deletes, Exception exception);

    private sealed class PendingBatch
    {
        public List<(QueuedMessage Message, ISendCompletion Completion)> Sends { get; } = [];

        public List<(QueuedMessage Message, ISendCompletion Completion)> Duplicates { get; } = [];

        public HashSet<QueuedMessage> Dropped { get; } = new(ReferenceEqualityComparer.Instance);

        public List<QueueDelete> Deletes { get; } = [];

        public List<TaskCompletionSource> Signals { get; } = [];

        public List<(Func<IMessageQueueStore, CancellationToken, Task> Action, TaskCompletionSource Signal)> Maintenance { get; } = [];

        public int Size => Sends.Count + Duplicates.Count + Deletes.Count + Signals.Count;

        /// <summary>False for the final commit at shutdown, which writes everything.</summary>
        public bool CanDefer { get; init; } = true;
    }
}
