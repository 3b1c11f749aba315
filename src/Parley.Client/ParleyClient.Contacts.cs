using Parley.Client.Api;
using Parley.Client.Contacts;
using Parley.Client.Profiles;
using Parley.Wire.Rest;

namespace Parley.Client;

/// <summary>Contacts: requests, answers, removal and blocking on the server, mirrored in the store.</summary>
public sealed partial class ParleyClient
{
    /// <summary>Fetches the contact list from the server and merges it into the store (keeping pinned keys).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>All known contacts, sorted by name.</returns>
    public async Task<IReadOnlyList<Contact>> RefreshContactsAsync(CancellationToken cancellationToken)
    {
        RequireToken();
        var list = await _api.GetAsync<ContactListResponse>(Routes.Contacts, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        _store.InTransaction(() =>
        {
            foreach (var row in list.Contacts.Take(100_000))
            {
                if (!UserName.TryParse(row.Username, out var name))
                {
                    continue;
                }

                seen.Add(name.Value);
                var contact = _store.GetContact(name.Value) ?? new Contact { UserName = name.Value };
                contact.BlockedByMe = row.State == ContactStates.Blocked;
                contact.State = row.State switch
                {
                    ContactStates.Accepted => ContactState.Accepted,
                    ContactStates.Outgoing => ContactState.RequestSent,
                    ContactStates.Incoming => ContactState.RequestReceived,
                    _ => ContactState.None,
                };
                contact.Note = row.Note;
                _store.PutContact(contact);
            }

            foreach (var stale in _store.ListContacts().Where(c => !seen.Contains(c.UserName) && (c.State != ContactState.None || c.BlockedByMe)))
            {
                stale.State = ContactState.None;
                stale.BlockedByMe = false;
                _store.PutContact(stale);
            }
        });
        return LocalContacts();
    }

    /// <summary>The contacts as last seen, from the store only (no network).</summary>
    /// <returns>Contacts with a relation or a block, sorted by name.</returns>
    public IReadOnlyList<Contact> LocalContacts() => _store.ListContacts().Where(c => c.State != ContactState.None || c.BlockedByMe).ToList();

    /// <summary>Asks <paramref name="user"/> to become a contact.</summary>
    /// <param name="user">The other user.</param>
    /// <param name="note">An optional note (at most 280 characters).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server accepted the request.</returns>
    public async Task RequestContactAsync(string user, string? note, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(user).Value;
        if (note is { Length: > ContactRequestBody.MaxNoteLength })
        {
            throw new Errors.ParleyClientException(Errors.ClientErrorKind.InvalidInput);
        }

        RequireToken();
        await _api.SendAsync(HttpMethod.Post, Routes.ContactRequests, new ContactRequestBody { Username = name, Note = note }, cancellationToken).ConfigureAwait(false);
        UpdateContact(name, c => c.State = c.State == ContactState.Accepted ? ContactState.Accepted : ContactState.RequestSent);
    }

    /// <summary>Accepts a pending request from <paramref name="user"/>.</summary>
    /// <param name="user">The requester.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task AcceptContactAsync(string user, CancellationToken cancellationToken) =>
        ContactActionAsync(user, "accept", c => c.State = ContactState.Accepted, cancellationToken);

    /// <summary>Declines a pending request from <paramref name="user"/>.</summary>
    /// <param name="user">The requester.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task DeclineContactAsync(string user, CancellationToken cancellationToken) =>
        ContactActionAsync(user, "decline", c => c.State = ContactState.None, cancellationToken);

    /// <summary>Removes <paramref name="user"/> from the contacts (both sides).</summary>
    /// <param name="user">The contact.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task RemoveContactAsync(string user, CancellationToken cancellationToken) =>
        ContactActionAsync(user, "remove", c => c.State = ContactState.None, cancellationToken);

    /// <summary>Blocks <paramref name="user"/>.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task BlockAsync(string user, CancellationToken cancellationToken) =>
        ContactActionAsync(user, "block", c => c.BlockedByMe = true, cancellationToken);

    /// <summary>Unblocks <paramref name="user"/>.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task UnblockAsync(string user, CancellationToken cancellationToken) =>
        ContactActionAsync(user, "unblock", c => { c.BlockedByMe = false; c.State = ContactState.None; }, cancellationToken);

    private async Task ContactActionAsync(string user, string action, Action<Contact> update, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(user).Value;
        RequireToken();
        await _api.SendAsync(HttpMethod.Post, Routes.ContactAction(name, action), null, cancellationToken).ConfigureAwait(false);
        UpdateContact(name, update);
    }

    private void UpdateContact(string name, Action<Contact> update)
    {
        var contact = _store.GetContact(name) ?? new Contact { UserName = name, State = ContactState.None };
        update(contact);
        _store.PutContact(contact);
    }
}
