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

    /// <summary>Creates the delivery service.</summary>
    public MessageDelivery(ConnectionRegistry registry, GroupCommitWriter writer, IMessageQueueStore store)
    {
        _registry = registry;
        _writer = writer;
        _store = store;
    }

    /// <summary>Registers the connection and drains its stored queue, ending with QueueEmpty.</summary>
    public async Task ConnectAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await _registry.RegisterAsync(connection).WaitAsync(cancellationToken);
        long after = 0;
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

        connection.FinishDrain();
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

    /// <summary>Handles an AckBatch (already checked to be well-formed): one acknowledgement per packed id.</summary>
    public void Acknowledge(RelayConnection connection, ReadOnlySpan<byte> packedIds)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var count = Wire.Relay.MessageIdList.Count(packedIds);
        for (var i = 0; i < count; i++)
        {
            if (MessageId.TryRead(Wire.Relay.MessageIdList.At(packedIds, i), out var id) && connection.TryTakeDelivered(id, out var key))
            {
                _writer.Acknowledge(new QueueDelete(connection.AccountId, key));
            }
        }
    }

    /// <summary>Unregisters the connection; true if it was the account's current one (the account went offline).</summary>
    public bool Disconnect(RelayConnection connection) => _registry.Unregister(connection);
}
