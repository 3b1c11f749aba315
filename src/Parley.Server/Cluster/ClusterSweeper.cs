using Microsoft.Extensions.Options;
using Parley.Server.Relay;
using Parley.Server.Storage;

namespace Parley.Server.Cluster;

/// <summary>
/// The safety net under the doorbells. Every <see cref="ClusterOptions.SweepInterval"/>, once Redis is
/// subscribed and again whenever it comes back, counts the stored mail of every account connected
/// here (one query) and starts a catch-up drain wherever the store holds more than the connection has
/// outstanding — so a lost doorbell delays mail by one period at most and loses nothing. It also keeps
/// this node's "online" keys alive and, less often, re-reads the per-recipient queue depths (other
/// nodes' acknowledgements release slots this node reserved).
/// </summary>
public sealed partial class ClusterSweeper : BackgroundService
{
    /// <summary>Accounts per counting query.</summary>
    public const int AccountsPerQuery = 5_000;

    private readonly RedisRelayCluster _cluster;
    private readonly ConnectionRegistry _registry;
    private readonly CatchUpScheduler _catchUp;
    private readonly GroupCommitWriter _writer;
    private readonly Storage.IDatabase _database;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterSweeper> _logger;
    private readonly SemaphoreSlim _now = new(0, 1);

    /// <summary>Creates the sweeper.</summary>
    public ClusterSweeper(RedisRelayCluster cluster, ConnectionRegistry registry, CatchUpScheduler catchUp, GroupCommitWriter writer,
        Storage.IDatabase database, IOptions<ClusterOptions> options, TimeProvider time, ILogger<ClusterSweeper> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cluster = cluster;
        _registry = registry;
        _catchUp = catchUp;
        _writer = writer;
        _database = database;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Sweeps once now: every local connection's queue is compared with what it has outstanding.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var connections = _registry.Snapshot();
        foreach (var chunk in connections.Chunk(AccountsPerQuery))
        {
            var counts = await CountAsync(chunk.Select(c => c.AccountId).ToArray(), cancellationToken);
            foreach (var connection in chunk)
            {
                var stored = counts.GetValueOrDefault(connection.AccountId);
                if (stored == 0)
                {
                    connection.ForgetAllAcknowledged();
                }
                else if (stored > connection.OutstandingCount)
                {
                    _catchUp.Ring(connection, 0);
                }
            }
        }

        RefreshOnlineKeys(connections);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _cluster.Restored += SweepSoon;
        using var timer = new PeriodicTimer(_options.SweepInterval, _time);
        var lastResync = _time.GetTimestamp();
        try
        {
            while (true)
            {
                await SweepSafelyAsync(stoppingToken);
                if (_time.GetElapsedTime(lastResync) >= _options.DepthResyncInterval)
                {
                    lastResync = _time.GetTimestamp();
                    await _writer.MaintainAsync((_, _) => Task.CompletedTask);
                }

                var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                await Task.WhenAny(tick, _now.WaitAsync(stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
        finally
        {
            _cluster.Restored -= SweepSoon;
        }
    }

    private void SweepSoon()
    {
        LogRestored(_logger);
        try
        {
            _now.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sweep is already due.
        }
    }

    private async Task SweepSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SweepAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSweepFailed(_logger, exception);
        }
    }

    private async Task<Dictionary<long, int>> CountAsync(long[] accounts, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            "SELECT recipient_id, COUNT(*) FROM relay_queue WHERE recipient_id = ANY(@ids) GROUP BY recipient_id").With("ids", accounts);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<long, int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt64(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    private void RefreshOnlineKeys(IReadOnlyCollection<RelayConnection> connections)
    {
        if (_cluster.Database is not { } db || connections.Count == 0)
        {
            return;
        }

        try
        {
            var batch = db.CreateBatch();
            foreach (var connection in connections)
            {
                _ = batch.StringSetAsync(RedisRelayCluster.OnlineKey(connection.AccountId), _cluster.NodeValue, _options.OnlineTtl,
                    flags: StackExchange.Redis.CommandFlags.FireAndForget);
            }

            batch.Execute();
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogSweepFailed(_logger, exception);
        }
    }

    [LoggerMessage(EventId = 7020, Level = LogLevel.Warning, Message = "Cluster sweep failed; retrying next period")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information, Message = "Redis connection restored; sweeping every local queue now")]
    private static partial void LogRestored(ILogger logger);
}
