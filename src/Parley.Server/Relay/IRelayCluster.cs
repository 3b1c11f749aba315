namespace Parley.Server.Relay;

/// <summary>
/// The relay's edges towards other nodes. A single node uses <see cref="SingleNodeCluster"/> (does
/// nothing; presence is this node's registry); with <c>Cluster:Redis</c> the Redis implementation
/// rings doorbells after commits, closes an account's older connection on other nodes and spreads
/// presence. The relay calls these hooks only at its edges (after a commit, after registration), never
/// inside the send path.
/// </summary>
public interface IRelayCluster
{
    /// <summary>A batch committed (inserted messages carry their database sequence); called after the senders were told.</summary>
    void Committed(QueueBatch commit);

    /// <summary>A connection registered on this node (its stored queue is being drained).</summary>
    void Connected(RelayConnection connection);

    /// <summary>The account's current connection on this node ended.</summary>
    void Disconnected(RelayConnection connection);

    /// <summary>An account came online or went offline on this node (contacts on other nodes must hear).</summary>
    void PresenceChanged(long accountId, string username, bool online);

    /// <summary>The account's contact relations changed: every node must forget its cached contact set.</summary>
    void ContactsChanged(long accountId);

    /// <summary>Which of <paramref name="accountIds"/> are connected anywhere in the cluster.</summary>
    Task<IReadOnlySet<long>> OnlineAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken);
}

/// <summary>One node, no cluster: hooks do nothing and presence is the local registry.</summary>
public sealed class SingleNodeCluster(ConnectionRegistry registry) : IRelayCluster
{
    /// <inheritdoc />
    public void Committed(QueueBatch commit)
    {
    }

    /// <inheritdoc />
    public void Connected(RelayConnection connection)
    {
    }

    /// <inheritdoc />
    public void Disconnected(RelayConnection connection)
    {
    }

    /// <inheritdoc />
    public void PresenceChanged(long accountId, string username, bool online)
    {
    }

    /// <inheritdoc />
    public void ContactsChanged(long accountId)
    {
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<long>> OnlineAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        return Task.FromResult<IReadOnlySet<long>>(accountIds.Where(registry.IsOnline).ToHashSet());
    }
}
