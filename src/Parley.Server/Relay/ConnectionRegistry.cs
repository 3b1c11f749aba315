using System.Collections.Concurrent;

namespace Parley.Server.Relay;

/// <summary>
/// Which account is connected on this node (one socket per account; a newer one replaces the older),
/// and the routing of submitted messages. Routing and registration of the same recipient take the
/// same striped lock, so a message is either pushed live to a registered connection or was submitted
/// to the writer before the connection's barrier — in which case the connection's queue drain reads
/// it. That is what makes delivery gap-free and keeps each sender's order.
/// </summary>
public sealed class ConnectionRegistry
{
    private const int StripeCount = 256;
    private readonly ConcurrentDictionary<long, RelayConnection> _connections = new();
    private readonly Lock[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new Lock()).ToArray();
    private readonly GroupCommitWriter _writer;

    /// <summary>Creates the registry over the writer that persists routed messages.</summary>
    public ConnectionRegistry(GroupCommitWriter writer) => _writer = writer;

    /// <summary>Connections on this node.</summary>
    public int Count => _connections.Count;

    /// <summary>Submits a message for durable storage and pushes it at once if its recipient is connected.</summary>
    public void Route(QueuedMessage message, ISendCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (Stripe(message.RecipientId))
        {
            var live = _connections.TryGetValue(message.RecipientId, out var connection);
            message.PushedLive = live;
            _writer.Submit(message, completion);
            if (live)
            {
                connection!.PushLive(message);
            }
        }
    }

    /// <summary>
    /// Registers a connection (replacing an older one of the same account) and returns a task that
    /// completes once everything routed before registration is committed.
    /// </summary>
    public Task RegisterAsync(RelayConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        RelayConnection? previous;
        Task barrier;
        lock (Stripe(connection.AccountId))
        {
            _connections.TryGetValue(connection.AccountId, out previous);
            _connections[connection.AccountId] = connection;
            barrier = _writer.BarrierAsync();
        }

        previous?.Terminate(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "replaced");
        return barrier;
    }

    /// <summary>Removes the connection if it is still the account's current one; true if it was.</summary>
    public bool Unregister(RelayConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        bool removed;
        lock (Stripe(connection.AccountId))
        {
            removed = _connections.TryRemove(new KeyValuePair<long, RelayConnection>(connection.AccountId, connection));
        }

        return removed;
    }

    /// <summary>Closes every connection on this node (server shutdown); returns them.</summary>
    public IReadOnlyList<RelayConnection> TerminateAll(System.Net.WebSockets.WebSocketCloseStatus status, string reason)
    {
        var all = _connections.Values.ToList();
        foreach (var connection in all)
        {
            connection.Terminate(status, reason);
        }

        return all;
    }

    /// <summary>The account's current connection on this node, if any.</summary>
    public bool TryGet(long accountId, out RelayConnection connection) =>
        _connections.TryGetValue(accountId, out connection!);

    /// <summary>A snapshot of this node's connections (the cluster's periodic sweep walks it).</summary>
    public IReadOnlyCollection<RelayConnection> Snapshot() => [.. _connections.Values];

    /// <summary>Whether the account is connected.</summary>
    public bool IsOnline(long accountId) => _connections.ContainsKey(accountId);

    private Lock Stripe(long accountId) => _stripes[(int)((ulong)accountId % StripeCount)];
}
