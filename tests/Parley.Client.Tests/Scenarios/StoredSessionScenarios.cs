using System.Text;
using Parley.Client.Identity;
using Parley.Client.Session;
using Parley.Client.Storage;
using Parley.Crypto.Bundles;
using Parley.Crypto.Session;

namespace Parley.Client.Tests.Scenarios;

/// <summary>Alice and Bob talk through the real session layer with their keys and sessions in encrypted client stores.</summary>
public sealed class StoredSessionScenarios : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StoreKey _aliceKey = StoreKey.Generate();
    private readonly StoreKey _bobKey = StoreKey.Generate();

    public void Dispose()
    {
        _aliceKey.Dispose();
        _bobKey.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_conversation_survives_closing_and_reopening_both_stores_and_consumes_the_one_time_prekey()
    {
        LocalKeys.PublicKeys bobPublic;
        using (var bobStore = ClientStore.Create(_dir.File("bob.db"), _bobKey))
        {
            bobPublic = LocalKeys.CreateIdentity(bobStore, 3, DateTimeOffset.UtcNow);
        }

        using (var aliceStore = ClientStore.Create(_dir.File("alice.db"), _aliceKey))
        {
            LocalKeys.CreateIdentity(aliceStore, 3, DateTimeOffset.UtcNow);
        }

        var bundle = new PreKeyBundle("bob", bobPublic.Identity, bobPublic.SignedPreKey!, bobPublic.OneTimePreKeys[0], bobPublic.KemPreKeys[0], bobPublic.Suites);
        byte[] first;
        using (var alice = Open("alice.db", _aliceKey, "alice"))
        {
            Assert.True(new SessionBuilder(alice.Keys, alice.Keys, "bob").TryProcessBundle(bundle, out var error), error.ToString());
            first = new SessionCipher(alice.Keys, alice.Keys, alice.Keys, "bob").Encrypt("hello bob"u8).ToArray();
        }

        byte[] reply;
        using (var bob = Open("bob.db", _bobKey, "bob"))
        {
            Assert.Equal(3, bob.Store.CountSecrets(ClientKeyStores.OneTimePreKeySpace));
            var cipher = new SessionCipher(bob.Keys, bob.Keys, bob.Keys, "alice");
            Assert.True(cipher.TryDecrypt(first, out var plain, out var error), error.ToString());
            Assert.Equal("hello bob", Encoding.UTF8.GetString(plain!));
            Assert.Equal(2, bob.Store.CountSecrets(ClientKeyStores.OneTimePreKeySpace));
            Assert.False(cipher.TryDecrypt(first, out _, out _)); // a replay changes nothing and is refused
            reply = cipher.Encrypt("hello alice"u8).ToArray();
            Assert.NotNull(bob.Store.GetContact("alice")!.IdentityKey); // pinned on first use
        }

        using (var alice = Open("alice.db", _aliceKey, "alice"))
        {
            var cipher = new SessionCipher(alice.Keys, alice.Keys, alice.Keys, "bob");
            Assert.True(cipher.TryDecrypt(reply, out var plain, out var error), error.ToString());
            Assert.Equal("hello alice", Encoding.UTF8.GetString(plain!));
        }
    }

    [Fact]
    public void A_bundle_with_another_identity_is_refused_once_a_key_is_pinned()
    {
        using (var store = ClientStore.Create(_dir.File("alice.db"), _aliceKey))
        {
            LocalKeys.CreateIdentity(store, 1, DateTimeOffset.UtcNow);
        }

        LocalKeys.PublicKeys MakeBob(string file)
        {
            using var key = StoreKey.Generate();
            using var store = ClientStore.Create(_dir.File(file), key);
            return LocalKeys.CreateIdentity(store, 1, DateTimeOffset.UtcNow);
        }

        var oldBob = MakeBob("bob1.db");
        var newBob = MakeBob("bob2.db");
        using var alice = Open("alice.db", _aliceKey, "alice");
        var builder = new SessionBuilder(alice.Keys, alice.Keys, "bob");
        Assert.True(builder.TryProcessBundle(new PreKeyBundle("bob", oldBob.Identity, oldBob.SignedPreKey!, null, oldBob.LastResortKemPreKey!, oldBob.Suites), out _));
        Assert.False(builder.TryProcessBundle(new PreKeyBundle("bob", newBob.Identity, newBob.SignedPreKey!, null, newBob.LastResortKemPreKey!, newBob.Suites), out var error));
        Assert.Equal(SessionError.UntrustedIdentity, error);
    }

    private Party Open(string file, StoreKey key, string me)
    {
        var store = ClientStore.Open(_dir.File(file), key);
        return new Party(store, new ClientKeyStores(store, me));
    }

    private sealed record Party(ClientStore Store, ClientKeyStores Keys) : IDisposable
    {
        public void Dispose()
        {
            Keys.Dispose();
            Store.Dispose();
        }
    }
}
