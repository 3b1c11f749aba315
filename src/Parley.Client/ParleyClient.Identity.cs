using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Crypto.Fingerprint;
using Parley.Crypto.Keys;

namespace Parley.Client;

/// <summary>Safety numbers, verification and accepting a changed identity key.</summary>
public sealed partial class ParleyClient
{
    /// <summary>
    /// The safety number between us and <paramref name="peer"/>: for the changed key when one is
    /// waiting to be trusted (that is the key to compare), else for the pinned key. With no key known
    /// yet, the peer's bundle is fetched and its key pinned (trust on first use).
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="cancellationToken">Cancels the bundle fetch.</param>
    /// <returns>The safety number.</returns>
    public async Task<SafetyNumber> GetSafetyNumberAsync(string peer, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        var contact = _store.GetContact(name);
        if (contact?.IdentityKey is null && contact?.ChangedIdentityKey is not { Length: > 0 })
        {
            var bundle = await FetchBundleAsync(name, cancellationToken).ConfigureAwait(false);
            IdentityPins.Observe(_store, name, bundle.IdentityKey.Serialize());
            contact = _store.GetContact(name);
        }

        var raw = contact!.ChangedIdentityKey is { Length: > 0 } changed ? changed : contact.IdentityKey;
        if (raw is null || !IdentityKey.TryParse(raw, out var remote))
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        var mine = _keys.GetIdentityKeyPair().PublicKey;
        return SafetyNumber.Create(
            new FingerprintIdentity(User.Value, mine.SigningKey, mine.AgreementKey),
            new FingerprintIdentity(name, remote.SigningKey, remote.AgreementKey));
    }

    /// <summary>Marks the contact's pinned key as verified.</summary>
    /// <param name="peer">The contact.</param>
    /// <exception cref="ParleyClientException"><see cref="ClientErrorKind.KeyChanged"/> while a changed key waits for <c>trust</c>.</exception>
    public void ConfirmVerified(string peer)
    {
        var name = UserName.Parse(peer).Value;
        if (_store.GetContact(name) is { KeyChanged: true })
        {
            throw new ParleyClientException(ClientErrorKind.KeyChanged);
        }

        if (!IdentityPins.MarkVerified(_store, name))
        {
            throw new ParleyClientException(ClientErrorKind.NotAContact);
        }
    }

    /// <summary>Whether the contact's pinned key was verified.</summary>
    /// <param name="peer">The contact.</param>
    /// <returns>True when verified and unchanged since.</returns>
    public bool IsVerified(string peer) => _store.GetContact(UserName.Parse(peer).Value) is { Verified: true, KeyChanged: false };

    /// <summary>
    /// Accepts the contact's changed identity key: it becomes the pin (unverified), the old session
    /// is dropped so the next message starts a new one, and held messages are decrypted on the next receive.
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <returns>Whether there was a changed key to accept.</returns>
    public bool TrustChangedKey(string peer)
    {
        var name = UserName.Parse(peer).Value;
        var changed = false;
        _store.InTransaction(() =>
        {
            changed = IdentityPins.TrustChanged(_store, name);
            if (changed)
            {
                _keys.DeleteSession(name);
            }
        });
        return changed;
    }
}
