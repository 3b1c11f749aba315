using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Parley.Server.Contacts;

/// <summary>
/// In-memory cache of each account's mutual contacts, so the relay can check every send without a
/// database read. Loaded on first use (typically at connect); any change to a relation invalidates
/// both parties, and the next use reloads. In a cluster, an invalidation is also published so every
/// node forgets the same sets (and a node that lost Redis forgets all of them when it is back).
/// </summary>
public sealed class ContactGraph
{
    private readonly ConcurrentDictionary<long, ContactSet> _sets = new();
    private readonly IContactStore _store;
    private Relay.IRelayCluster? _cluster;

    /// <summary>Creates the cache over the contact store.</summary>
    public ContactGraph(IContactStore store) => _store = store;

    /// <summary>The account's mutual contacts, from the cache or the store.</summary>
    public ValueTask<ContactSet> GetAsync(long accountId, CancellationToken cancellationToken)
    {
        return _sets.TryGetValue(accountId, out var set) ? ValueTask.FromResult(set) : LoadAsync(accountId, cancellationToken);
    }

    /// <summary>
    /// Finds a mutual contact by username. A miss in the cache is checked against the store when
    /// this node is in a cluster: another node's accept may not yet have reached this node as an
    /// invalidation, and a send right after a successful accept must not be refused.
    /// </summary>
    public async ValueTask<long?> FindAsync(long accountId, string username, CancellationToken cancellationToken)
    {
        var set = await GetAsync(accountId, cancellationToken);
        if (set.TryGetId(username, out long id))
        {
            return id;
        }

        if (_cluster is null)
        {
            return null; // on one node, every change invalidated this cache before it was acknowledged
        }

        set = await LoadAsync(accountId, cancellationToken);
        return set.TryGetId(username, out id) ? id : null;
    }

    /// <summary>Attaches the cluster told about invalidations (set once at start-up).</summary>
    public void AttachCluster(Relay.IRelayCluster cluster) => _cluster = cluster;

    /// <summary>Forgets the account's cached set here and on every other node, so the next use re-reads the store.</summary>
    public void Invalidate(long accountId)
    {
        _sets.TryRemove(accountId, out _);
        _cluster?.ContactsChanged(accountId);
    }

    /// <summary>Forgets the account's cached set on this node only (another node announced the change).</summary>
    public void InvalidateLocally(long accountId) => _sets.TryRemove(accountId, out _);

    /// <summary>Forgets every cached set (after missing announcements, e.g. a Redis outage).</summary>
    public void Clear() => _sets.Clear();

    private async ValueTask<ContactSet> LoadAsync(long accountId, CancellationToken cancellationToken)
    {
        var rows = await _store.ListMutualAsync(accountId, cancellationToken);
        var set = new ContactSet(rows);
        _sets[accountId] = set;
        return set;
    }
}

/// <summary>An immutable snapshot of one account's mutual contacts.</summary>
public sealed class ContactSet
{
    private readonly FrozenDictionary<string, long> _byName;
    private readonly FrozenSet<long> _ids;

    /// <summary>Builds the snapshot.</summary>
    public ContactSet(IReadOnlyList<ContactRef> contacts)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        Contacts = contacts;
        _byName = contacts.ToFrozenDictionary(c => c.Name, c => c.Id, StringComparer.Ordinal);
        _ids = contacts.Select(c => c.Id).ToFrozenSet();
    }

    /// <summary>All mutual contacts.</summary>
    public IReadOnlyList<ContactRef> Contacts { get; }

    /// <summary>Finds a mutual contact by username.</summary>
    public bool TryGetId(string username, out long accountId) => _byName.TryGetValue(username, out accountId);

    /// <summary>Whether the account is a mutual contact.</summary>
    public bool Contains(long accountId) => _ids.Contains(accountId);
}
