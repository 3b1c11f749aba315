using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Crypto.Fingerprint;
using Parley.Crypto.Keys;

namespace Parley.Client.Identity;

/// <summary>
/// Contacts' identity keys: safety numbers, verification, noticing a changed key (which blocks
/// sending until the user accepts it) and accepting it.
/// </summary>
public sealed class IdentityService
{
    private readonly ProfileContext _context;
    private readonly KeyDirectory _directory;

    internal IdentityService(ProfileContext context, KeyDirectory directory)
    {
        _context = context;
        _directory = directory;
    }

    /// <summary>
    /// The safety number between us and <paramref name="peer"/>: for the changed key when one is
    /// waiting to be trusted (that is the key to compare), else for the pinned key. With no key known
    /// yet, the peer's bundle is fetched and its key pinned (trust on first use).
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="cancellationToken">Cancels the bundle fetch.</param>
    /// <returns>The safety number.</returns>
    public Task<SafetyNumber> GetSafetyNumberAsync(string peer, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        return _context.LockedAsync(() => SafetyNumberLockedAsync(name, cancellationToken), cancellationToken);
    }

    /// <summary>Marks the contact's pinned key as verified.</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ParleyClientException"><see cref="ClientErrorKind.KeyChanged"/> while a changed key waits for <c>trust</c>.</exception>
    public Task ConfirmVerifiedAsync(string peer, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        return _context.Locked(() =>
        {
            if (_context.Store.GetContact(name) is { KeyChanged: true })
            {
                throw new ParleyClientException(ClientErrorKind.KeyChanged);
            }

            return IdentityPins.MarkVerified(_context.Store, name) ? true : throw new ParleyClientException(ClientErrorKind.NotAContact);
        }, cancellationToken);
    }

    /// <summary>Whether the contact's pinned key was verified.</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>True when verified and unchanged since.</returns>
    public Task<bool> IsVerifiedAsync(string peer, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        return _context.Locked(() => _context.Store.GetContact(name) is { Verified: true, KeyChanged: false }, cancellationToken);
    }

    /// <summary>
    /// Accepts the contact's changed identity key: it becomes the pin (unverified), the old session
    /// is dropped so the next message starts a new one, and held messages are decrypted on the next connection.
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>Whether there was a changed key to accept.</returns>
    public Task<bool> TrustChangedKeyAsync(string peer, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        return _context.Locked(() =>
        {
            var changed = false;
            _context.Store.InTransaction(() =>
            {
                changed = IdentityPins.TrustChanged(_context.Store, name);
                if (changed)
                {
                    _context.Keys.DeleteSession(name);
                }
            });
            return changed;
        }, cancellationToken);
    }

    /// <summary>Looks up the contact's current identity on the server and records a change (gate held).</summary>
    internal async Task CheckLockedAsync(string peer, CancellationToken cancellationToken)
    {
        try
        {
            var bundle = await _directory.FetchBundleAsync(peer, cancellationToken).ConfigureAwait(false);
            if (IdentityPins.Observe(_context.Store, peer, bundle.IdentityKey.Serialize()) == IdentityObservation.Changed)
            {
                _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.KeyChanged, Peer = peer });
            }
        }
        catch (ParleyClientException e) when (e.Kind is ClientErrorKind.NotAContact or ClientErrorKind.UserDoesNotExist or ClientErrorKind.ProtocolViolation or ClientErrorKind.Refused)
        {
            // No usable bundle (yet): the check happens again when a message or a send needs the key.
        }
    }

    /// <summary>A message came under an identity we do not trust: record the change even if the server hides it (gate held).</summary>
    internal async Task RecordKeyChangeLockedAsync(string peer, CancellationToken cancellationToken)
    {
        var before = _context.Store.GetContact(peer)?.KeyChanged ?? false;
        await CheckLockedAsync(peer, cancellationToken).ConfigureAwait(false);
        var contact = _context.Store.GetContact(peer);
        if (!before && contact is not null && !contact.KeyChanged)
        {
            // The server's bundle still shows the pinned key, yet a message came under another: treat
            // it as a change all the same (the server may be hiding the new key from us).
            contact.ChangedIdentityKey = [];
            contact.Verified = false;
            _context.Store.PutContact(contact);
            _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.KeyChanged, Peer = peer });
        }
    }

    private async Task<SafetyNumber> SafetyNumberLockedAsync(string name, CancellationToken cancellationToken)
    {
        var store = _context.Store;
        var contact = store.GetContact(name);
        if (contact?.IdentityKey is null && contact?.ChangedIdentityKey is not { Length: > 0 })
        {
            var bundle = await _directory.FetchBundleAsync(name, cancellationToken).ConfigureAwait(false);
            IdentityPins.Observe(store, name, bundle.IdentityKey.Serialize());
            contact = store.GetContact(name);
        }

        var raw = contact!.ChangedIdentityKey is { Length: > 0 } changed ? changed : contact.IdentityKey;
        if (raw is null || !IdentityKey.TryParse(raw, out var remote))
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        var mine = _context.Keys.GetIdentityKeyPair().PublicKey;
        return SafetyNumber.Create(
            new FingerprintIdentity(_context.User, mine.SigningKey, mine.AgreementKey),
            new FingerprintIdentity(name, remote.SigningKey, remote.AgreementKey));
    }
}
