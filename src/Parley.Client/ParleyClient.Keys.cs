using Parley.Client.Api;
using Parley.Client.Errors;
using Parley.Client.Identity;

namespace Parley.Client;

/// <summary>The key directory: publishing our keys, topping up one-time prekeys, fetching a contact's bundle.</summary>
public sealed partial class ParleyClient
{
    private async Task PublishKeysAsync(LocalKeys.PublicKeys keys, bool replace, CancellationToken cancellationToken)
    {
        var body = new KeyUploadBody
        {
            IdentityKey = Convert.ToBase64String(keys.Identity.Serialize()),
            Suites = Convert.ToBase64String(keys.Suites.Serialize()),
            SignedPreKey = keys.SignedPreKey is null ? null : Convert.ToBase64String(keys.SignedPreKey.Serialize()),
            LastResortKemPreKey = keys.LastResortKemPreKey is null ? null : Convert.ToBase64String(keys.LastResortKemPreKey.Serialize()),
            OneTimePreKeys = keys.OneTimePreKeys.Select(k => Convert.ToBase64String(k.Serialize())).ToList(),
            KemPreKeys = keys.KemPreKeys.Select(k => Convert.ToBase64String(k.Serialize())).ToList(),
            Replace = replace,
        };
        await _api.SendAsync(HttpMethod.Put, Routes.Keys, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a new batch of one-time prekeys when the server holds fewer than the low-water mark.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether a batch was uploaded.</returns>
    public async Task<bool> ReplenishPreKeysAsync(CancellationToken cancellationToken)
    {
        var count = await _api.GetAsync<KeyCountResponse>(Routes.Keys, cancellationToken).ConfigureAwait(false);
        if (Math.Min(count.OneTimePreKeys, count.KemPreKeys) >= _options.OneTimePreKeyLowWater)
        {
            return false;
        }

        LocalKeys.PublicKeys keys = null!;
        _store.InTransaction(() => keys = LocalKeys.Replenish(_store, _keys.GetIdentityKeyPair(), _options.OneTimePreKeyBatch));
        await PublishKeysAsync(keys, replace: false, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<byte[]> FetchBundleBytesAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _api.GetAsync<BundleResponse>(Routes.Bundle(name), cancellationToken).ConfigureAwait(false);
        try
        {
            return Convert.FromBase64String(response.Bundle ?? throw new ParleyClientException(ClientErrorKind.ProtocolViolation));
        }
        catch (FormatException e)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation, e);
        }
    }
}
