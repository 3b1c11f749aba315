using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Identity;
using Parley.Client.Profiles;
using Parley.Wire;
using Parley.Wire.Rest;

namespace Parley.Client.Contacts;

/// <summary>
/// Contacts: requests, answers, removal and blocking on the server, mirrored in the store; and the
/// contact events the server pushes through the relay.
/// </summary>
public sealed class ContactService
{
    /// <summary>The most rows of a server contact list the client looks at.</summary>
    public const int MaxListedContacts = 100_000;

    private readonly ProfileContext _context;
    private readonly IdentityService _identity;

    internal ContactService(ProfileContext context, IdentityService identity)
    {
        _context = context;
        _identity = identity;
    }

    /// <summary>Fetches the contact list from the server and merges it into the store (keeping pinned keys).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>All known contacts, sorted by name.</returns>
    public Task<IReadOnlyList<Contact>> RefreshAsync(CancellationToken cancellationToken) =>
        _context.LockedAsync(async () =>
        {
            await RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
            return ListLocked();
        }, cancellationToken);

    /// <summary>The contacts as last seen, from the store only (no network).</summary>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>Contacts with a relation or a block, sorted by name.</returns>
    public Task<IReadOnlyList<Contact>> ListAsync(CancellationToken cancellationToken) => _context.Locked(ListLocked, cancellationToken);

    /// <summary>
    /// Throws <see cref="ClientErrorKind.NotAContact"/> unless <paramref name="user"/> is an accepted
    /// contact (asking the server when the local list does not say so; offline, the local list is all there is).
    /// The check <c>chat</c> makes first, so a stranger's name gets the same error as a send to them.
    /// </summary>
    /// <param name="user">The other user.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when <paramref name="user"/> is a contact.</returns>
    public async Task RequireContactAsync(string user, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(user).Value;
        if (IsAccepted(await ListAsync(cancellationToken).ConfigureAwait(false), name))
        {
            return;
        }

        try
        {
            if (IsAccepted(await RefreshAsync(cancellationToken).ConfigureAwait(false), name))
            {
                return;
            }
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            // Offline: the local list is all there is.
        }

        throw new ParleyClientException(ClientErrorKind.NotAContact);
    }

    /// <summary>
    /// Like <see cref="RequireContactAsync"/>, but a user this profile has known (a former contact,
    /// whose history and keys stay readable) passes too: the check of <c>history</c> and <c>verify</c>.
    /// </summary>
    /// <param name="user">The other user.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when <paramref name="user"/> is or was known.</returns>
    public async Task RequireKnownAsync(string user, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(user).Value;
        if (!(await ListAsync(cancellationToken).ConfigureAwait(false)).Any(c => c.UserName == name))
        {
            await RequireContactAsync(user, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks <paramref name="user"/> to become a contact.</summary>
    /// <param name="user">The other user.</param>
    /// <param name="note">An optional note (at most <see cref="ContactRequestBody.MaxNoteLength"/> characters).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server accepted the request.</returns>
    public async Task RequestAsync(string user, string? note, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(user).Value;
        if (note is { Length: > ContactRequestBody.MaxNoteLength })
        {
            throw new ParleyClientException(ClientErrorKind.InvalidInput);
        }

        _context.RequireToken();
        await _context.Api.SendAsync(HttpMethod.Post, Routes.ContactRequests, new ContactRequestBody { Username = name, Note = note }, cancellationToken).ConfigureAwait(false);
        await UpdateAsync(name, c => c.State = c.State == ContactState.Accepted ? ContactState.Accepted : ContactState.RequestSent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Accepts a pending request from <paramref name="user"/>.</summary>
    /// <param name="user">The requester.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task AcceptAsync(string user, CancellationToken cancellationToken) =>
        ActionAsync(user, "accept", c => c.State = ContactState.Accepted, cancellationToken);

    /// <summary>Declines a pending request from <paramref name="user"/>.</summary>
    /// <param name="user">The requester.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task DeclineAsync(string user, CancellationToken cancellationToken) =>
        ActionAsync(user, "decline", c => c.State = ContactState.None, cancellationToken);

    /// <summary>Removes <paramref name="user"/> from the contacts (both sides).</summary>
    /// <param name="user">The contact.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task RemoveAsync(string user, CancellationToken cancellationToken) =>
        ActionAsync(user, "remove", c => c.State = ContactState.None, cancellationToken);

    /// <summary>Blocks <paramref name="user"/>.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task BlockAsync(string user, CancellationToken cancellationToken) =>
        ActionAsync(user, "block", c => c.BlockedByMe = true, cancellationToken);

    /// <summary>Unblocks <paramref name="user"/>.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    public Task UnblockAsync(string user, CancellationToken cancellationToken) =>
        ActionAsync(user, "unblock", c => { c.BlockedByMe = false; c.State = ContactState.None; }, cancellationToken);

    /// <summary>Merges the server's list into the store (gate held).</summary>
    internal async Task RefreshLockedAsync(CancellationToken cancellationToken)
    {
        _context.RequireToken();
        var list = await _context.Api.GetAsync<ContactListResponse>(Routes.Contacts, cancellationToken).ConfigureAwait(false);
        var store = _context.Store;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        store.InTransaction(() =>
        {
            foreach (var row in list.Contacts.Take(MaxListedContacts))
            {
                if (!UserName.TryParse(row.Username, out var name))
                {
                    continue;
                }

                seen.Add(name.Value);
                var contact = store.GetContact(name.Value) ?? new Contact { UserName = name.Value };
                contact.BlockedByMe = row.State == ContactStates.Blocked;
                contact.State = row.State switch
                {
                    ContactStates.Accepted => ContactState.Accepted,
                    ContactStates.Outgoing => ContactState.RequestSent,
                    ContactStates.Incoming => ContactState.RequestReceived,
                    _ => ContactState.None,
                };
                contact.Note = row.Note;
                store.PutContact(contact);
            }

            foreach (var stale in store.ListContacts().Where(c => !seen.Contains(c.UserName) && (c.State != ContactState.None || c.BlockedByMe)))
            {
                stale.State = ContactState.None;
                stale.BlockedByMe = false;
                store.PutContact(stale);
            }
        });
    }

    /// <summary>Applies a contact event pushed by the server and reports it (gate held).</summary>
    internal async Task ApplyEventLockedAsync(ContactEvent e, CancellationToken cancellationToken)
    {
        if (!UserName.TryParse(e.From, out var from))
        {
            return;
        }

        ClientEventKind? kind = e.Kind switch
        {
            ContactEventKind.Request => ClientEventKind.ContactRequest,
            ContactEventKind.Accepted => ClientEventKind.ContactAccepted,
            ContactEventKind.Declined => ClientEventKind.ContactDeclined,
            ContactEventKind.Cancelled or ContactEventKind.Removed => ClientEventKind.ContactRemoved,
            _ => null,
        };
        if (kind is null)
        {
            return;
        }

        var peer = from.Value;
        var contact = _context.Store.GetContact(peer) ?? new Contact { UserName = peer, State = ContactState.None };
        contact.State = kind switch
        {
            ClientEventKind.ContactRequest => contact.State == ContactState.Accepted ? ContactState.Accepted : ContactState.RequestReceived,
            ClientEventKind.ContactAccepted => ContactState.Accepted,
            _ => ContactState.None,
        };
        var note = e.Note is { Length: > 0 and <= ContactRequestBody.MaxNoteLength } ? e.Note : null;
        if (kind == ClientEventKind.ContactRequest)
        {
            contact.Note = note;
        }

        _context.Store.PutContact(contact);
        _context.Events.Emit(new ClientEvent { Kind = kind.Value, Peer = peer, Note = kind == ClientEventKind.ContactRequest ? note : null });

        // A returning contact (new request or acceptance) may come back with a new device identity:
        // check it now, so the warning comes before anything is sent to the old one.
        if (kind is ClientEventKind.ContactRequest or ClientEventKind.ContactAccepted && contact.IdentityKey is not null)
        {
            await _identity.CheckLockedAsync(peer, cancellationToken).ConfigureAwait(false);
        }
    }

    private IReadOnlyList<Contact> ListLocked() =>
        _context.Store.ListContacts().Where(c => c.State != ContactState.None || c.BlockedByMe).ToList();

    private async Task ActionAsync(string user, string action, Action<Contact> update, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(user).Value;
        _context.RequireToken();
        await _context.Api.SendAsync(HttpMethod.Post, Routes.ContactAction(name, action), null, cancellationToken).ConfigureAwait(false);
        await UpdateAsync(name, update, cancellationToken).ConfigureAwait(false);
    }

    private Task UpdateAsync(string name, Action<Contact> update, CancellationToken cancellationToken) =>
        _context.Locked(() =>
        {
            var contact = _context.Store.GetContact(name) ?? new Contact { UserName = name, State = ContactState.None };
            update(contact);
            _context.Store.PutContact(contact);
        }, cancellationToken);

    private static bool IsAccepted(IEnumerable<Contact> contacts, string name) => contacts.Any(c => c.UserName == name && c.State == ContactState.Accepted);
}
