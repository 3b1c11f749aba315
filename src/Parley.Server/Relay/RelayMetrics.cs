using Parley.Server.Metrics;

namespace Parley.Server.Relay;

/// <summary>
/// Operator aggregates of the relay: connected clients, messages accepted and delivered, commits,
/// queue depth. Counters only ever grow (rates come from the scraper); nothing here is per user.
/// </summary>
public sealed class RelayMetrics
{
    private readonly QueueDepths _depths;
    private long _connected;
    private long _accepted;
    private long _delivered;
    private long _batches;
    private long _batchedOps;
    private long _connectionLevel;

    /// <summary>Creates the metrics over the shared queue depths and exports them in the server's registry.</summary>
    public RelayMetrics(QueueDepths depths, ParleyMetrics server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _depths = depths;
        var connected = server.Factory.CreateGauge("parley_relay_connected_clients", "WebSocket clients connected now.");
        var accepted = server.Factory.CreateCounter("parley_relay_messages_accepted_total", "Messages accepted by the relay (durable or already delivered).");
        var delivered = server.Factory.CreateCounter("parley_relay_messages_delivered_total", "Messages acknowledged by their recipients.");
        var depth = server.Factory.CreateGauge("parley_relay_queue_depth", "Messages queued for all recipients together.");
        var batches = server.Factory.CreateCounter("parley_relay_batches_committed_total", "Group commits of the relay queue.");
        var operations = server.Factory.CreateCounter("parley_relay_batched_operations_total", "Inserts and deletes in relay group commits.");
        var connectionLevel = server.Factory.CreateCounter("parley_relay_connection_level_upgrades_total",
            "WebSocket upgrades accepted at the connection level, before the HTTP pipeline (the rest went through it).");
        server.Registry.AddBeforeCollectCallback(() =>
        {
            connected.Set(ConnectedClients);
            accepted.IncTo(MessagesAccepted);
            delivered.IncTo(MessagesDelivered);
            depth.Set(QueueDepthTotal);
            batches.IncTo(BatchesCommitted);
            operations.IncTo(BatchedOperations);
            connectionLevel.IncTo(ConnectionLevelUpgrades);
        });
    }

    /// <summary>Clients connected right now.</summary>
    public long ConnectedClients => Interlocked.Read(ref _connected);

    /// <summary>Messages accepted (durable or already delivered) since start.</summary>
    public long MessagesAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Messages acknowledged by their recipients since start.</summary>
    public long MessagesDelivered => Interlocked.Read(ref _delivered);

    /// <summary>Group commits since start.</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batches);

    /// <summary>Inserts and deletes committed since start.</summary>
    public long BatchedOperations => Interlocked.Read(ref _batchedOps);

    /// <summary>Sockets accepted at the connection level since start (<see cref="RelayUpgradeHandler"/>).</summary>
    public long ConnectionLevelUpgrades => Interlocked.Read(ref _connectionLevel);

    /// <summary>Messages queued or waiting to commit, over all recipients.</summary>
    public long QueueDepthTotal => _depths.Total;

    internal void Connected() => Interlocked.Increment(ref _connected);

    internal void Disconnected() => Interlocked.Decrement(ref _connected);

    internal void ConnectionLevelUpgrade() => Interlocked.Increment(ref _connectionLevel);

    internal void Accepted(int count) => Interlocked.Add(ref _accepted, count);

    internal void Delivered(int count) => Interlocked.Add(ref _delivered, count);

    internal void BatchCommitted(int operations)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batchedOps, operations);
    }
}
