using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Wire.Rest;

namespace Parley.Client.Identity;

/// <summary>
/// The server's key directory seen from this device: publishing our keys, topping up one-time
/// prekeys and rotating the signed prekey, and fetching (and checking) a contact's prekey bundle.
/// </summary>
public sealed class KeyDirectory
{
    /// <summary>The most one-time X25519 prekeys per upload request (the server's batch limit is 100).</summary>
    public const int OneTimePreKeysPerRequest = 100;

    /// <summary>The most ML-KEM prekeys per upload request (the server's batch limit is 20; each is ~2 KiB of base64).</summary>
    public const int KemPreKeysPerRequest = 20;

    private readonly ProfileContext _context;
    private int _replacedReported;

    internal KeyDirectory(ProfileContext context) => _context = context;

    /// <summary>
    /// Asks the server which identity it holds for this account and throws
    /// <see cref="ClientErrorKind.IdentityReplaced"/> (telling the owner once, as an event) when it is
    /// not ours. Runs before every relay connection, so a replaced installation never takes (and
    /// acknowledges) messages meant for the one that replaced it. Needs no gate.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What the caller has stored on the server.</returns>
    internal async Task<PreKeyCountResponse> CheckIdentityAsync(CancellationToken cancellationToken)
    {
        var count = await _context.Api.GetAsync<PreKeyCountResponse>(Routes.Keys + "/count", cancellationToken).ConfigureAwait(false);
        EnsureOurIdentity(count);
        return count;
    }

    /// <summary>
    /// Makes this profile's identity the account's again after another installation replaced it:
    /// publishes it with <c>replace</c> (the server drops the other identity's prekeys) with a new
    /// signed prekey, last-resort key and one-time keys. Contacts see a key change.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public Task ReclaimIdentityAsync(CancellationToken cancellationToken) =>
        _context.LockedAsync(async () =>
        {
            var store = _context.Store;
            LocalKeys.PublicKeys keys = null!;
            store.InTransaction(() => keys = LocalKeys.Republish(store, _context.Keys.GetIdentityKeyPair(), _context.Options.OneTimePreKeyBatch, _context.Time.GetUtcNow()));
            await PublishAsync(keys, replace: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _replacedReported, 0);
        }, cancellationToken);

    private void EnsureOurIdentity(PreKeyCountResponse count)
    {
        if (count.IdentityKey is null)
        {
            return; // none published yet (registration in progress)
        }

        var ours = _context.Keys.GetIdentityKeyPair().PublicKey;
        var bytes = new byte[IdentityKey.SerializedSize];
        if (Convert.TryFromBase64String(count.IdentityKey, bytes, out var written)
            && IdentityKey.TryParse(bytes.AsSpan(0, written), out var theirs) && theirs.Equals(ours))
        {
            return;
        }

        if (Interlocked.Exchange(ref _replacedReported, 1) == 0)
        {
            _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.IdentityReplaced, Peer = _context.User });
        }

        throw new ParleyClientException(ClientErrorKind.IdentityReplaced);
    }

    /// <summary>
    /// Rotates the signed prekey when it is older than <see cref="LocalKeys.SignedPreKeyLifetime"/>, and
    /// uploads a new batch of one-time prekeys when the server holds fewer than the low-water mark.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether a batch was uploaded.</returns>
    public async Task<bool> ReplenishPreKeysAsync(CancellationToken cancellationToken) =>
        (await _context.LockedAsync(() => ReplenishLockedAsync(cancellationToken), cancellationToken).ConfigureAwait(false)).Uploaded;

    /// <summary>Replenishes, and treats an unreachable server as "later": the last-resort KEM key keeps new sessions working.</summary>
    internal Task TryReplenishAsync(CancellationToken cancellationToken) =>
        _context.LockedAsync(() => TryReplenishLockedAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Replenishes — after a drained queue, or when the server's <c>PreKeyStock</c> frame says the
    /// stock runs low — and tells the owner (<see cref="ClientEventKind.PreKeysExhausted"/>) when a kind
    /// had run out: sessions formed on the last-resort keys meanwhile, and many fetches in a short
    /// time can mean someone is draining them. Failure only postpones it.
    /// </summary>
    internal async Task TryReplenishLockedAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (_, exhausted) = await ReplenishLockedAsync(cancellationToken).ConfigureAwait(false);
            if (exhausted)
            {
                _context.Events.Emit(new ClientEvent { Kind = ClientEventKind.PreKeysExhausted, Peer = _context.User });
            }
        }
        catch (ParleyClientException e) when (e.Kind is ClientErrorKind.ServerUnreachable or ClientErrorKind.Refused)
        {
            // Best effort: retried after the next drained queue.
        }
    }

    private async Task<(bool Uploaded, bool Exhausted)> ReplenishLockedAsync(CancellationToken cancellationToken)
    {
        var store = _context.Store;

        // Nothing is uploaded under an identity that is not ours any more: unsigned one-time keys
        // would be accepted and handed out for the other installation, which could not use them.
        var count = await CheckIdentityAsync(cancellationToken).ConfigureAwait(false);
        var rotated = LocalKeys.RotateSignedPreKeyIfDue(store, _context.Keys.GetIdentityKeyPair(), _context.Time.GetUtcNow());
        if (rotated is not null)
        {
            await _context.Api.SendAsync(HttpMethod.Put, Routes.Keys + "/signed-prekey", new SignedPreKeyUpload(B64(rotated.Serialize())), cancellationToken).ConfigureAwait(false);
        }

        var exhausted = Math.Min(count.OneTimePreKeys, count.KemPreKeys) == 0;
        if (Math.Min(count.OneTimePreKeys, count.KemPreKeys) >= _context.Options.OneTimePreKeyLowWater)
        {
            return (false, exhausted);
        }

        LocalKeys.PublicKeys keys = null!;
        store.InTransaction(() => keys = LocalKeys.Replenish(store, _context.Keys.GetIdentityKeyPair(), _context.Options.OneTimePreKeyBatch));
        await PublishAsync(keys, replace: false, cancellationToken).ConfigureAwait(false);
        return (true, exhausted);
    }

    /// <summary>Uploads public keys; a full publication (with a signed prekey) sends the identity first.</summary>
    internal async Task PublishAsync(LocalKeys.PublicKeys keys, bool replace, CancellationToken cancellationToken)
    {
        var api = _context.Api;
        if (keys.SignedPreKey is not null)
        {
            // The server checks everything else against the identity, so it goes first.
            await api.SendAsync(HttpMethod.Put, Routes.Keys + "/identity", new IdentityKeyUpload(B64(keys.Identity.Serialize()), replace), cancellationToken).ConfigureAwait(false);
            await api.SendAsync(HttpMethod.Put, Routes.Keys + "/cipher-suites", new CipherSuitesUpload(B64(keys.Suites.Serialize())), cancellationToken).ConfigureAwait(false);
            await api.SendAsync(HttpMethod.Put, Routes.Keys + "/signed-prekey", new SignedPreKeyUpload(B64(keys.SignedPreKey.Serialize())), cancellationToken).ConfigureAwait(false);
        }

        if (keys.LastResortKemPreKey is not null)
        {
            await api.SendAsync(HttpMethod.Put, Routes.Keys + "/kem-last-resort", new KemLastResortUpload(B64(keys.LastResortKemPreKey.Serialize())), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in keys.OneTimePreKeys.Chunk(OneTimePreKeysPerRequest))
        {
            await api.PostAsync<PreKeysUploadResponse>(Routes.Keys + "/one-time-prekeys", new OneTimePreKeysUpload(chunk.Select(k => B64(k.Serialize())).ToList()), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in keys.KemPreKeys.Chunk(KemPreKeysPerRequest))
        {
            await api.PostAsync<PreKeysUploadResponse>(Routes.Keys + "/kem-prekeys", new KemPreKeysUpload(chunk.Select(k => B64(k.Serialize())).ToList()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Fetches <paramref name="name"/>'s bundle and checks its size, signatures and account id (no store access).</summary>
    internal async Task<PreKeyBundle> FetchBundleAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _context.Api.GetAsync<PreKeyBundleResponse>(Routes.Bundle(name), cancellationToken).ConfigureAwait(false);
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(response.Bundle ?? throw new ParleyClientException(ClientErrorKind.ProtocolViolation));
        }
        catch (FormatException e)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation, e);
        }

        if (raw.Length > PreKeyBundle.MaxSerializedSize || !PreKeyBundle.TryParse(raw, out var bundle) || !bundle.Verify() ||
            !string.Equals(bundle.AccountId, name, StringComparison.Ordinal))
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        return bundle;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);
}
