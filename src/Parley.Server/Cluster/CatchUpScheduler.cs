using Parley.Server.Metrics;
using Parley.Server.Relay;

namespace Parley.Server.Cluster;

/// <summary>
/// Turns doorbells (and sweep findings) into catch-up drains, coalesced twice so that the database
/// sees reads per tick, not per message:
/// <list type="bullet">
/// <item>per connection, at most one drain is in flight; doorbells arriving meanwhile only set a
/// "dirty" mark (keeping the lowest sequence asked for), and the drain runs once more after the
/// current one — N doorbells during a drain cost one extra read, not N;</item>
/// <item>across connections, one pump reads for every connection rung since its previous read in a
/// single statement (<see cref="IMessageQueueStore.ReadManyAsync"/>), up to
/// <see cref="MaxAccountsPerRead"/> at a time. While that read runs, the next tick's doorbells gather.</item>
/// </list>
/// A connection whose drain gate is held (its first drain on connect is still running) is caught up on
/// its own once the gate frees, still counting as its one drain in flight.
/// </summary>
public sealed partial class CatchUpScheduler
{
    /// <summary>Most connections caught up by one read; more rung in one tick wait for the next.</summary>
    public const int MaxAccountsPerRead = 1_000;

    /// <summary>Longest a catch-up may take before it is abandoned (the next doorbell or sweep retries).</summary>
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<RelayConnection, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<RelayConnection> _ready = new();
    private readonly MessageDelivery _delivery;
    private readonly TimeProvider _time;
    private readonly ILogger<CatchUpScheduler> _logger;
    private TaskCompletionSource _idle = CompletedIdle();
    private bool _pumping;
    private long _reads;
    private long _accountsRead;
    private long _skipped;

    /// <summary>Creates the scheduler and exports its counters in the server's metrics registry.</summary>
    public CatchUpScheduler(MessageDelivery delivery, ParleyMetrics metrics, TimeProvider time, ILogger<CatchUpScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _delivery = delivery;
        _time = time;
        _logger = logger;
        var reads = metrics.Factory.CreateCounter("parley_cluster_catchup_reads_total", "Catch-up reads of the shared queue (one statement each, for many accounts).");
        var accounts = metrics.Factory.CreateCounter("parley_cluster_catchup_accounts_total", "Account queues caught up by those reads together.");
        var skipped = metrics.Factory.CreateCounter("parley_cluster_doorbells_skipped_total", "Doorbells for rows this node had already read (no read needed).");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            reads.IncTo(Reads);
            accounts.IncTo(AccountsRead);
            skipped.IncTo(DoorbellsSkipped);
        });
    }

    /// <summary>Catch-up reads started since start (a batch read, or one alone for a connection still in its first drain).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Connections caught up by those reads together.</summary>
    public long AccountsRead => Interlocked.Read(ref _accountsRead);

    /// <summary>Doorbells that needed no read because a drain here had already read their first row.</summary>
    public long DoorbellsSkipped => Interlocked.Read(ref _skipped);

    /// <summary>
    /// A doorbell: another node committed mail for the connection's account, the first of it at
    /// <paramref name="firstSequence"/>. Skipped when a drain here already read that row (it then saw the
    /// whole commit); otherwise a catch-up from just before it is rung.
    /// </summary>
    public void RingDoorbell(RelayConnection connection, long firstSequence)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.HasRead(firstSequence))
        {
            Interlocked.Increment(ref _skipped);
            return;
        }

        Ring(connection, firstSequence - 1);
    }

    /// <summary>Makes sure a catch-up reading after <paramref name="afterSequence"/> runs soon for the connection.</summary>
    public void Ring(RelayConnection connection, long afterSequence)
    {
        ArgumentNullException.ThrowIfNull(connection);
        bool startPump;
        lock (_lock)
        {
            if (_entries.TryGetValue(connection, out var entry))
            {
                entry.After = Math.Min(entry.After, afterSequence);
                entry.Dirty |= entry.Running;
                return;
            }

            if (_entries.Count == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _entries.Add(connection, new Entry { After = afterSequence });
            _ready.Enqueue(connection);
            startPump = StartPumpLocked();
        }

        if (startPump)
        {
            _ = Task.Run(PumpAsync);
        }
    }

    /// <summary>Completes once no catch-up is queued or running (for tests and orderly checks).</summary>
    internal Task IdleAsync()
    {
        lock (_lock)
        {
            return _idle.Task;
        }
    }

    private static TaskCompletionSource CompletedIdle()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idle.SetResult();
        return idle;
    }

    private bool StartPumpLocked()
    {
        if (_pumping)
        {
            return false;
        }

        _pumping = true;
        return true;
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            var batch = new List<(RelayConnection Connection, long AfterSequence)>();
            lock (_lock)
            {
                while (batch.Count < MaxAccountsPerRead && _ready.TryDequeue(out var connection))
                {
                    var entry = _entries[connection];
                    batch.Add((connection, entry.After));
                    entry.Running = true;
                    entry.Dirty = false;
                    entry.After = long.MaxValue;
                }

                if (batch.Count == 0)
                {
                    _pumping = false;
                    return;
                }
            }

            await RunBatchAsync(batch);
        }
    }

    private async Task RunBatchAsync(List<(RelayConnection Connection, long AfterSequence)> batch)
    {
        var locked = new List<(RelayConnection Connection, long AfterSequence)>(batch.Count);
        foreach (var request in batch)
        {
            // Zero wait: a gate held by a connect-time drain must not stall everybody else's catch-up.
            if (request.Connection.DrainGate.Wait(TimeSpan.Zero))
            {
                locked.Add(request);
            }
            else
            {
                _ = RunAloneAsync(request.Connection, request.AfterSequence);
            }
        }

        try
        {
            if (locked.Count > 0)
            {
                Interlocked.Increment(ref _reads);
                Interlocked.Add(ref _accountsRead, locked.Count);
                using var timeout = new CancellationTokenSource(CatchUpTimeout, _time);
                await _delivery.CatchUpLockedAsync(locked, timeout.Token);
            }
        }
#pragma warning disable CA1031 // A failed catch-up is retried by the next doorbell or sweep; it must not go unobserved.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCatchUpFailed(_logger, exception);
        }
        finally
        {
            foreach (var (connection, _) in locked)
            {
                connection.DrainGate.Release();
                Finish(connection);
            }
        }
    }

    private async Task RunAloneAsync(RelayConnection connection, long afterSequence)
    {
        try
        {
            Interlocked.Increment(ref _reads);
            Interlocked.Increment(ref _accountsRead);
            using var timeout = new CancellationTokenSource(CatchUpTimeout, _time);
            await _delivery.CatchUpAsync(connection, afterSequence, timeout.Token);
        }
#pragma warning disable CA1031 // As above: logged, retried by the next doorbell or sweep.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCatchUpFailed(_logger, exception);
        }
        finally
        {
            Finish(connection);
        }
    }

    /// <summary>A connection's drain ended: run it once more if doorbells came meanwhile, else forget it.</summary>
    private void Finish(RelayConnection connection)
    {
        var startPump = false;
        lock (_lock)
        {
            var entry = _entries[connection];
            if (entry.Dirty)
            {
                entry.Running = false;
                entry.Dirty = false;
                _ready.Enqueue(connection);
                startPump = StartPumpLocked();
            }
            else
            {
                _entries.Remove(connection);
                if (_entries.Count == 0)
                {
                    _idle.TrySetResult();
                }
            }
        }

        if (startPump)
        {
            _ = Task.Run(PumpAsync);
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Catch-up drain failed; the next doorbell or sweep retries")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception);

    /// <summary>One connection's catch-up state (guarded by the scheduler's lock).</summary>
    private sealed class Entry
    {
        /// <summary>Lowest sequence asked for by doorbells not yet served.</summary>
        public long After { get; set; }

        /// <summary>A drain for it is in flight.</summary>
        public bool Running { get; set; }

        /// <summary>A doorbell came while the drain was in flight: run once more after it.</summary>
        public bool Dirty { get; set; }
    }
}
