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

    /// <summary>Creates the metrics over the shared queue depths.</summary>
    public RelayMetrics(QueueDepths depths) => _depths = depths;

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

    /// <summary>Messages queued or waiting to commit, over all recipients.</summary>
    public long QueueDepthTotal => _depths.Total;

    internal void Connected() => Interlocked.Increment(ref _connected);

    internal void Disconnected() => Interlocked.Decrement(ref _connected);

    internal void Accepted(int count) => Interlocked.Add(ref _accepted, count);

    internal void Delivered(int count) => Interlocked.Add(ref _delivered, count);

    internal void BatchCommitted(int operations)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batchedOps, operations);
    }

    /// <summary>Writes the aggregates in Prometheus text exposition format.</summary>
    public void WritePrometheus(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Write(writer, "parley_relay_connected_clients", "gauge", "WebSocket clients connected now", ConnectedClients);
        Write(writer, "parley_relay_messages_accepted_total", "counter", "Messages accepted by the relay", MessagesAccepted);
        Write(writer, "parley_relay_messages_delivered_total", "counter", "Messages acknowledged by recipients", MessagesDelivered);
        Write(writer, "parley_relay_queue_depth", "gauge", "Messages queued for all recipients", QueueDepthTotal);
        Write(writer, "parley_relay_batches_committed_total", "counter", "Group commits", BatchesCommitted);
        Write(writer, "parley_relay_batched_operations_total", "counter", "Inserts and deletes in group commits", BatchedOperations);
    }

    private static void Write(TextWriter writer, string name, string type, string help, long value)
    {
        writer.Write("# HELP ");
        writer.Write(name);
        writer.Write(' ');
        writer.WriteLine(help);
        writer.Write("# TYPE ");
        writer.Write(name);
        writer.Write(' ');
        writer.WriteLine(type);
        writer.Write(name);
        writer.Write(' ');
        writer.WriteLine(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
