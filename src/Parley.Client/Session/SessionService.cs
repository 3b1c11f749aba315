using Google.Protobuf;
using Parley.Client.Contacts;
using Parley.Client.Conversations;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client.Session;

/// <summary>
/// The secure session with each contact as a thing the user can end (<c>parley disconnect</c>, seed
/// 001's disconnect): the last message of the session tells the peer to forget it, then this side
/// forgets it too; history stays, and the next message from either side starts a fresh key
/// agreement on a new prekey bundle.
/// </summary>
public sealed class SessionService
{
    private readonly ProfileContext _context;
    private readonly RelayLink _link;
    private readonly Outbox _outbox;
    private readonly ContactService _contacts;

    internal SessionService(ProfileContext context, RelayLink link, Outbox outbox, ContactService contacts)
    {
        _context = context;
        _link = link;
        _outbox = outbox;
        _contacts = contacts;
    }

    /// <summary>Whether a session with <paramref name="peer"/> exists on this side.</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>True when messages to the peer would go on an existing session.</returns>
    public Task<bool> HasSessionAsync(string peer, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        return _context.Locked(() => _context.Keys.LoadSession(name) is not null, cancellationToken);
    }

    /// <summary>
    /// Ends the session with <paramref name="peer"/>. The server must take the session's last message
    /// first (it waits in the peer's queue like any message, behind the ones sent before it); only then
    /// is this side's state forgotten, so a failure changes nothing the user can see. A peer whose
    /// message crosses the end on the wire used the old session and cannot be read here (reported as
    /// undecryptable), as in every messenger with a session reset.
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when there was no session to end (nothing was sent).</returns>
    /// <exception cref="ParleyClientException">Not a contact, key changed (trust or verify first), blocked, or the server unreachable (nothing changed).</exception>
    public async Task<bool> DisconnectAsync(string peer, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        await _contacts.RequireContactAsync(name, cancellationToken).ConfigureAwait(false);
        if (!await HasSessionAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await _link.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await _outbox.FlushAsync(_link, cancellationToken).ConfigureAwait(false); // earlier messages go first, on the old session
        var send = await _context.Locked(() => EncryptEndLocked(name), cancellationToken).ConfigureAwait(false);
        if (send is null)
        {
            return false;
        }

        var result = await _link.SendAsync(send, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case SendStatus.Accepted:
            case SendStatus.DuplicateAccepted:
                break;
            case SendStatus.NotAContact:
            case SendStatus.UnknownRecipient:
            case SendStatus.Blocked:
                throw new ParleyClientException(ClientErrorKind.NotAContact);
            default:
                throw new ParleyClientException(ClientErrorKind.Refused);
        }

        await _context.Locked(() =>
        {
            _context.Keys.DeleteSession(name);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The session's last message, or null when the session is gone or not usable (gate held).</summary>
    private Send? EncryptEndLocked(string name)
    {
        var contact = _context.Store.GetContact(name);
        if (contact is { KeyChanged: true })
        {
            throw new ParleyClientException(ClientErrorKind.KeyChanged);
        }

        if (contact is { BlockedByMe: true })
        {
            throw new ParleyClientException(ClientErrorKind.Blocked);
        }

        using var cipher = new SessionCipher(_context.Keys, _context.Keys, _context.Keys, name);
        if (!cipher.HasSession)
        {
            return null;
        }

        var id = MessageId.New();
        var content = new MessageContent { Kind = ContentKind.EndSession, Id = id, SentAtMs = _context.Time.GetUtcNow().ToUnixTimeMilliseconds() };
        Send? send = null;
        _context.Store.InTransaction(() => send = ContentSeal.Seal(_context, cipher, name, id, content));
        return send;
    }
}
