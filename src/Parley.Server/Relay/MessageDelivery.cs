using Parley.Wire;

namespace Parley.Server.Relay;

/// <summary>
/// Delivers queues to connected clients: on connect, registers the connection, waits until everything
/// routed earlier is committed, drains the stored queue in order, sends the live messages that arrived
/// meanwhile and then QueueEmpty. Acknowledgements delete messages through the group-commit writer.
/// </summary>
public sealed class MessageDelivery
{
    private readonly ConnectionRegistry _registry;
    private readonly GroupCommitWriter _writer;
    private readonly IMessageQueueStore _store;
    private readonly IRelayCluster _cluster;

    /// <summary>Creates the delivery service.</summary>
    public MessageDelivery(ConnectionRegistry registry, GroupCommitWriter writer, IMessageQueueStore store, IRelayCluster cluster)
    {
        _registry = registry;
        _writer = writer;
        _store = store;
        _cluster = cluster;
    }

    /// <summary>Registers the connection and drains its stored queue, ending with QueueEmpty.</summary>
    public async Task ConnectAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.DrainGate.WaitAsync(cancellationToken);
        try
        {
            await _registry.RegisterAsync(connection).WaitAsync(cancellationToken);
            _cluster.Connected(connection);
            await DrainLockedAsync(connection, 0, cancellationToken);
            connection.FinishDrain();
        }
        finally
        {
            connection.DrainGate.Release();
        }
    }

    /// <summary>
    /// Sends what the store holds for the connection after <paramref name="afterSequence"/> (or after
    /// what it already drained, whichever is lower) and was not sent on it yet — the cluster's doorbell
    /// and sweep call this when another node committed mail for the account.
    /// </summary>
    public async Task CatchUpAsync(RelayConnection connection, long afterSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.DrainGate.WaitAsync(cancellationToken);
        try
        {
            await DrainLockedAsync(connection, Math.Min(afterSequence, connection.DrainedThrough), cancellationToken);
        }
        finally
        {
            connection.DrainGate.Release();
        }
    }

    /// <summary>
    /// One catch-up for several connections whose <see cref="RelayConnection.DrainGate"/> the caller
    /// holds: the first page of every queue comes from one read; a queue that filled its page goes on
    /// alone. Each reads after its requested sequence or what it already drained, whichever is lower.
    /// </summary>
    internal async Task CatchUpLockedAsync(IReadOnlyList<(RelayConnection Connection, long AfterSequence)> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var recipients = new long[requests.Count];
        var afters = new long[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            recipients[i] = requests[i].Connection.AccountId;
            afters[i] = Math.Min(requests[i].AfterSequence, requests[i].Connection.DrainedThrough);
        }

        foreach (var (connection, _) in requests)
        {
            connection.SetDraining(true);
        }

        try
        {
            var pages = await _store.ReadManyAsync(recipients, afters, RelayLimits.DrainPageSize, cancellationToken);
            for (var i = 0; i < requests.Count; i++)
            {
                var connection = requests[i].Connection;
                var after = afters[i];
                foreach (var message in pages[i])
                {
                    connection.PushStored(message);
                    after = message.Sequence;
                }

                if (pages[i].Count < RelayLimits.DrainPageSize)
                {
                    connection.DrainedThrough = Math.Max(connection.DrainedThrough, after);
                }
                else
                {
                    await ReadAllLockedAsync(connection, after, cancellationToken);
                }
            }
        }
        finally
        {
            foreach (var (connection, _) in requests)
            {
                connection.SetDraining(false);
            }
        }
    }

    private async Task DrainLockedAsync(RelayConnection connection, long after, CancellationToken cancellationToken)
    {
        connection.SetDraining(true);
        try
        {
            await ReadAllLockedAsync(connection, after, cancellationToken);
        }
        finally
        {
            connection.SetDraining(false);
        }
    }

    private async Task ReadAllLockedAsync(RelayConnection connection, long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await _store.ReadAsync(connection.AccountId, after, RelayLimits.DrainPageSize, cancellationToken);
            foreach (var message in page)
            {
                connection.PushStored(message);
                after = message.Sequence;
            }

            if (page.Count < RelayLimits.DrainPageSize)
            {
                break;
            }
        }

        connection.DrainedThrough = Math.Max(connection.DrainedThrough, after);
    }

    /// <summary>Handles an Ack: the message leaves the queue (or never reaches the disk).</summary>
    public void Acknowledge(RelayConnection connection, Ack ack)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(ack);
        if (MessageId.TryRead(ack.MessageId.Span, out var id) && connection.TryTakeDelivered(id, out var key))
        {
            _writer.Acknowledge(new QueueDelete(connection.AccountId, key));
        }
    }

    /// <summary>
    /// Handles an AckBatch (already checked to be well-formed): the ids are resolved under one lock of the
    /// connection and reach the writer as one unit of work.
    /// </summary>
    public void Acknowledge(RelayConnection connection, ReadOnlySpan<byte> packedIds)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _writer.Acknowledge(connection.TakeDelivered(packedIds));
    }

    /// <summary>Unregisters the connection; true if it was the account's current one (the account went offline).</summary>
    public bool Disconnect(RelayConnection connection)
    {
        if (!_registry.Unregister(connection))
        {
            return false;
        }

        _cluster.Disconnected(connection);
        return true;
    }
}
