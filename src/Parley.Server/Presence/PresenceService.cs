using Parley.Server.Contacts;
using Parley.Server.Relay;
using Parley.Wire;

namespace Parley.Server.Presence;

/// <summary>
/// Online/offline for contacts only: pushed to an account's mutual contacts when it connects or
/// leaves, answered to queries about mutual contacts. Non-contacts and blocked users learn nothing —
/// a block removes the mutual relation, so the same check covers both.
/// </summary>
public sealed class PresenceService
{
    private readonly ConnectionRegistry _registry;
    private readonly ContactGraph _contacts;
    private readonly IRelayCluster _cluster;

    /// <summary>Creates the presence service.</summary>
    public PresenceService(ConnectionRegistry registry, ContactGraph contacts, IRelayCluster cluster)
    {
        _registry = registry;
        _contacts = contacts;
        _cluster = cluster;
    }

    /// <summary>Tells the account's connected contacts, on this node and (through the cluster) on others, whether it is online.</summary>
    public async Task AnnounceAsync(long accountId, string username, bool online, CancellationToken cancellationToken)
    {
        _cluster.PresenceChanged(accountId, username, online);
        await AnnounceLocallyAsync(accountId, username, online, cancellationToken);
    }

    /// <summary>Tells the account's contacts connected to THIS node (another node announced the change).</summary>
    public async Task AnnounceLocallyAsync(long accountId, string username, bool online, CancellationToken cancellationToken)
    {
        var contacts = await _contacts.GetAsync(accountId, cancellationToken);
        foreach (var contact in contacts.Contacts)
        {
            if (_registry.TryGet(contact.Id, out var connection))
            {
                // The recipient's own set must agree (both rows Accepted) — it does by construction of
                // the mutual relation, so no second lookup is needed.
                connection.Enqueue(Frame(username, online));
            }
        }
    }

    /// <summary>Answers a presence query with one frame per (requested) contact, then PresenceQueryDone.</summary>
    public async Task QueryAsync(RelayConnection connection, PresenceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(query);
        var contacts = await _contacts.GetAsync(connection.AccountId, cancellationToken);
        var asked = new List<ContactRef>();
        if (query.Usernames.Count == 0)
        {
            asked.AddRange(contacts.Contacts);
        }
        else
        {
            foreach (var name in query.Usernames.Take(RelayLimits.MaxPresenceQueryNames).Distinct(StringComparer.Ordinal))
            {
                if (contacts.TryGetId(name, out var id))
                {
                    asked.Add(new ContactRef(id, name));
                }
            }
        }

        var online = await _cluster.OnlineAsync(asked.ConvertAll(c => c.Id), cancellationToken);
        foreach (var contact in asked)
        {
            connection.Enqueue(Frame(contact.Name, online.Contains(contact.Id)));
        }

        connection.Enqueue(new ServerFrame { PresenceQueryDone = new PresenceQueryDone() });
    }

    /// <summary>After two accounts became contacts, tells each (wherever connected) whether the other is online.</summary>
    public async Task IntroduceContactsAsync(ContactRef first, ContactRef second, CancellationToken cancellationToken)
    {
        var online = await _cluster.OnlineAsync([first.Id, second.Id], cancellationToken);
        if (online.Contains(first.Id))
        {
            _cluster.PresenceChanged(first.Id, first.Name, online: true);
        }

        if (online.Contains(second.Id))
        {
            _cluster.PresenceChanged(second.Id, second.Name, online: true);
        }

        if (_registry.TryGet(first.Id, out var firstConnection))
        {
            firstConnection.Enqueue(Frame(second.Name, online.Contains(second.Id)));
        }

        if (_registry.TryGet(second.Id, out var secondConnection))
        {
            secondConnection.Enqueue(Frame(first.Name, online.Contains(first.Id)));
        }
    }

    private static ServerFrame Frame(string username, bool online) =>
        new() { Presence = new Wire.Presence { Username = username, Online = online } };
}
