using Parley.Client.Identity;
using Parley.Client.Session;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Storage;

public sealed class LocalKeysTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StoreKey _key = StoreKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Replenished_prekeys_never_reuse_an_id_and_are_kept_privately()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        var first = LocalKeys.CreateIdentity(store, 5, DateTimeOffset.UtcNow);
        using var keys = new ClientKeyStores(store, "alice");
        var more = LocalKeys.Replenish(store, keys.GetIdentityKeyPair(), 5);

        var ids = first.OneTimePreKeys.Concat(more.OneTimePreKeys).Select(k => k.Id.Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(10, store.CountSecrets(ClientKeyStores.OneTimePreKeySpace));
        Assert.Equal(11, store.CountSecrets(ClientKeyStores.KemPreKeySpace)); // 10 one-time + the last resort
        Assert.All(more.OneTimePreKeys, k => Assert.NotNull(keys.GetOneTimePreKey(k.Id)));
        Assert.Null(more.SignedPreKey);
    }

    [Fact]
    public void The_signed_prekey_rotates_after_its_lifetime_and_the_old_one_stays_for_messages_in_flight()
    {
        using var store = ClientStore.Create(_dir.File("s.db"), _key);
        var start = DateTimeOffset.UtcNow;
        var first = LocalKeys.CreateIdentity(store, 1, start);
        using var keys = new ClientKeyStores(store, "alice");

        Assert.Null(LocalKeys.RotateSignedPreKeyIfDue(store, keys.GetIdentityKeyPair(), start + LocalKeys.SignedPreKeyLifetime - TimeSpan.FromMinutes(1)));
        var rotated = LocalKeys.RotateSignedPreKeyIfDue(store, keys.GetIdentityKeyPair(), start + LocalKeys.SignedPreKeyLifetime);
        Assert.NotNull(rotated);
        Assert.NotEqual(first.SignedPreKey!.Id, rotated.Id);
        Assert.True(rotated.Verify(keys.GetIdentityKeyPair().PublicKey));
        Assert.NotNull(keys.GetSignedPreKey(first.SignedPreKey.Id));
        Assert.NotNull(keys.GetSignedPreKey(rotated.Id));
        Assert.Null(LocalKeys.RotateSignedPreKeyIfDue(store, keys.GetIdentityKeyPair(), start + LocalKeys.SignedPreKeyLifetime));
    }
}
