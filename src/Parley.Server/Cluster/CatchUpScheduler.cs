using System.Collections.Concurrent;
using Parley.Server.Relay;

namespace Parley.Server.Cluster;

/// <summary>
/// Turns doorbells into catch-up drains, coalesced per connection: while one is waiting to run, more
/// doorbells only lower the sequence it reads from, so a flood of doorbells costs a few reads, not one
/// per message.
/// </summary>
public sealed partial class CatchUpScheduler
{
    private readonly ConcurrentDictionary<RelayConnection, long> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly MessageDelivery _delivery;
    private readonly ILogger<CatchUpScheduler> _logger;

    /// <summary>Creates the scheduler.</summary>
    public CatchUpScheduler(MessageDelivery delivery, ILogger<CatchUpScheduler> logger)
    {
        _delivery = delivery;
        _logger = logger;
    }

    /// <summary>Makes sure a catch-up drain reading after <paramref name="afterSequence"/> runs soon for the connection.</summary>
    public void Ring(RelayConnection connection, long afterSequence)
    {
        ArgumentNullException.ThrowIfNull(connection);
        while (true)
        {
            if (_pending.TryAdd(connection, afterSequence))
            {
                _ = RunAsync(connection);
                return;
            }

            if (_pending.TryGetValue(connection, out var queued) && (queued <= afterSequence || _pending.TryUpdate(connection, afterSequence, queued)))
            {
                return;
            }
        }
    }

    private async Task RunAsync(RelayConnection connection)
    {
        await Task.Yield();
        while (_pending.TryRemove(connection, out var after))
        {
            try
            {
                await _delivery.CatchUpAsync(connection, after, CancellationToken.None);
            }
#pragma warning disable CA1031 // A failed catch-up is retried by the next doorbell or sweep; it must not go unobserved.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogCatchUpFailed(_logger, exception);
            }
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Catch-up drain failed; the next sweep retries")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception);
}
