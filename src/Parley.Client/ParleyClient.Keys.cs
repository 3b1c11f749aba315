using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Identity;
using Parley.Wire.Rest;

namespace Parley.Client;

/// <summary>The key directory: publishing our keys, topping up one-time prekeys, fetching a contact's bundle.</summary>
public sealed partial class ParleyClient
{
    /// <summary>The most one-time X25519 prekeys per upload request (the server's batch limit is 100).</summary>
    public const int OneTimePreKeysPerRequest = 100;

    /// <summary>The most ML-KEM prekeys per upload request (the server's batch limit is 20; each is ~2 KiB of base64).</summary>
    public const int KemPreKeysPerRequest = 20;

    private async Task PublishKeysAsync(LocalKeys.PublicKeys keys, bool replace, CancellationToken cancellationToken)
    {
        if (keys.SignedPreKey is not null)
        {
            // A full publication: identity first (the server checks everything else against it).
            await _api.SendAsync(HttpMethod.Put, Routes.Keys + "/identity", new IdentityKeyUpload(B64(keys.Identity.Serialize()), replace), cancellationToken).ConfigureAwait(false);
            await _api.SendAsync(HttpMethod.Put, Routes.Keys + "/cipher-suites", new CipherSuitesUpload(B64(keys.Suites.Serialize())), cancellationToken).ConfigureAwait(false);
            await _api.SendAsync(HttpMethod.Put, Routes.Keys + "/signed-prekey", new SignedPreKeyUpload(B64(keys.SignedPreKey.Serialize())), cancellationToken).ConfigureAwait(false);
        }

        if (keys.LastResortKemPreKey is not null)
        {
            await _api.SendAsync(HttpMethod.Put, Routes.Keys + "/kem-last-resort", new KemLastResortUpload(B64(keys.LastResortKemPreKey.Serialize())), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in keys.OneTimePreKeys.Chunk(OneTimePreKeysPerRequest))
        {
            await _api.PostAsync<PreKeysUploadResponse>(Routes.Keys + "/one-time-prekeys", new OneTimePreKeysUpload(chunk.Select(k => B64(k.Serialize())).ToList()), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in keys.KemPreKeys.Chunk(KemPreKeysPerRequest))
        {
            await _api.PostAsync<PreKeysUploadResponse>(Routes.Keys + "/kem-prekeys", new KemPreKeysUpload(chunk.Select(k => B64(k.Serialize())).ToList()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rotates the signed prekey when it is older than <see cref="LocalKeys.SignedPreKeyLifetime"/>, and
    /// uploads a new batch of one-time prekeys when the server holds fewer than the low-water mark.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether a batch was uploaded.</returns>
    public async Task<bool> ReplenishPreKeysAsync(CancellationToken cancellationToken) =>
        (await ReplenishCoreAsync(cancellationToken).ConfigureAwait(false)).Uploaded;

    private async Task<(bool Uploaded, bool Exhausted)> ReplenishCoreAsync(CancellationToken cancellationToken)
    {
        var rotated = LocalKeys.RotateSignedPreKeyIfDue(_store, _keys.GetIdentityKeyPair(), DateTimeOffset.UtcNow);
        if (rotated is not null)
        {
            await _api.SendAsync(HttpMethod.Put, Routes.Keys + "/signed-prekey", new SignedPreKeyUpload(B64(rotated.Serialize())), cancellationToken).ConfigureAwait(false);
        }

        var count = await _api.GetAsync<PreKeyCountResponse>(Routes.Keys + "/count", cancellationToken).ConfigureAwait(false);
        var exhausted = Math.Min(count.OneTimePreKeys, count.KemPreKeys) == 0;
        if (Math.Min(count.OneTimePreKeys, count.KemPreKeys) >= _options.OneTimePreKeyLowWater)
        {
            return (false, exhausted);
        }

        LocalKeys.PublicKeys keys = null!;
        _store.InTransaction(() => keys = LocalKeys.Replenish(_store, _keys.GetIdentityKeyPair(), _options.OneTimePreKeyBatch));
        await PublishKeysAsync(keys, replace: false, cancellationToken).ConfigureAwait(false);
        return (true, exhausted);
    }

    /// <summary>
    /// Replenishes prekeys — after a receive, or when the server's <c>PreKeyStock</c> frame says they run
    /// low — and tells the owner (<see cref="ClientEventKind.PreKeysExhausted"/>) when a kind had run out.
    /// Failure only postpones it to the next receive.
    /// </summary>
    private async Task TryReplenishAsync(Action<ClientEvent>? emit, CancellationToken cancellationToken)
    {
        try
        {
            var (_, exhausted) = await ReplenishCoreAsync(cancellationToken).ConfigureAwait(false);
            if (exhausted && emit is not null)
            {
                emit(new ClientEvent { Kind = ClientEventKind.PreKeysExhausted, Peer = User.Value });
            }
        }
        catch (ParleyClientException e) when (e.Kind is ClientErrorKind.ServerUnreachable or ClientErrorKind.Refused)
        {
            // Best effort: the server still holds the last-resort KEM key, so new sessions keep working.
        }
    }

    private async Task<byte[]> FetchBundleBytesAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _api.GetAsync<PreKeyBundleResponse>(Routes.Bundle(name), cancellationToken).ConfigureAwait(false);
        try
        {
            return Convert.FromBase64String(response.Bundle ?? throw new ParleyClientException(ClientErrorKind.ProtocolViolation));
        }
        catch (FormatException e)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation, e);
        }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);
}
