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

    /// <summary>Creates the presence service.</summary>
    public PresenceService(ConnectionRegistry registry, ContactGraph contacts)
    {
        _registry = registry;
        _contacts = contacts;
    }

    /// <summary>Tells the account's connected contacts whether it is online.</summary>
    public async Task AnnounceAsync(long accountId, string username, bool online, CancellationToken cancellationToken)
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
        if (query.Usernames.Count == 0)
        {
            foreach (var contact in contacts.Contacts)
            {
                connection.Enqueue(Frame(contact.Name, _registry.IsOnline(contact.Id)));
            }
        }
        else
        {
            foreach (var name in query.Usernames.Take(RelayLimits.MaxPresenceQueryNames).Distinct(StringComparer.Ordinal))
            {
                if (contacts.TryGetId(name, out var id))
                {
                    connection.Enqueue(Frame(name, _registry.IsOnline(id)));
                }
            }
        }

        connection.Enqueue(new ServerFrame { PresenceQueryDone = new PresenceQueryDone() });
    }

    /// <summary>After two accounts became contacts, tells each whether the other is online.</summary>
    public void IntroduceContacts(ContactRef first, ContactRef second)
    {
        if (_registry.TryGet(first.Id, out var firstConnection))
        {
            firstConnection.Enqueue(Frame(second.Name, _registry.IsOnline(second.Id)));
        }

        if (_registry.TryGet(second.Id, out var secondConnection))
        {
            secondConnection.Enqueue(Frame(first.Name, _registry.IsOnline(first.Id)));
        }
    }

    private static ServerFrame Frame(string username, bool online) =>
        new() { Presence = new Wire.Presence { Username = username, Online = online } };
}
