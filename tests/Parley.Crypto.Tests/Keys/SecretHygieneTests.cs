using System.Text.Json;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Keys;

/// <summary>Secret types reveal nothing through ToString, interpolation or a JSON dump meant for logs.</summary>
public sealed class SecretHygieneTests
{
    [Fact]
    public void Secret_types_show_only_their_type_name()
    {
        using var party = TestParty.Create("alice");
        using var x = X25519KeyPair.Generate();
        using var ed = Ed25519KeyPair.Generate();
        using var kem = MlKem1024KeyPair.Generate();
        using var bob = TestParty.Create("bob");
        using var agreement = Parley.Crypto.Agreement.HybridAgreement.Initiate(
            party.Identity, "alice", TestBundles.For(bob), Parley.Crypto.Bundles.CipherSuites.All);
        var secrets = new (object Value, string Name, byte[] Secret)[]
        {
            (party.Identity, nameof(IdentityKeyPair), party.Identity.SerializePrivate()),
            (party.SignedPreKey, nameof(SignedPreKeyRecord), party.SignedPreKey.SerializePrivate()),
            (party.OneTimePreKey!, nameof(OneTimePreKeyRecord), party.OneTimePreKey!.SerializePrivate()),
            (party.KemPreKey, nameof(KemPreKeyRecord), party.KemPreKey.SerializePrivate()),
            (x, nameof(X25519KeyPair), Export(x)),
            (ed, nameof(Ed25519KeyPair), Export(ed)),
            (kem, nameof(MlKem1024KeyPair), Export(kem)),
            (agreement, nameof(Parley.Crypto.Agreement.AgreementResult), [0, 0, .. agreement.RootKey]),
        };

        foreach (var (value, name, secret) in secrets)
        {
            Assert.Equal(name, value.ToString());
            Assert.Equal(name, $"{value}");
            AssertNoSecretIn(Dump(value), secret);
        }
    }

    [Fact]
    public void Disposed_key_pairs_refuse_use()
    {
        var pair = X25519KeyPair.Generate();
        pair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.TryAgree(new byte[32], new byte[32]));
        var identity = IdentityKeyPair.Generate();
        identity.Dispose();
        Assert.Throws<ObjectDisposedException>(() => identity.SerializePrivate());
        var kem = MlKem1024KeyPair.Generate();
        kem.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kem.ExportPrivateKey(new byte[64]));
    }

    private static byte[] Export(X25519KeyPair pair)
    {
        var bytes = new byte[32];
        pair.ExportPrivateKey(bytes);
        return bytes;
    }

    private static byte[] Export(Ed25519KeyPair pair)
    {
        var bytes = new byte[32];
        pair.ExportSeed(bytes);
        return bytes;
    }

    private static byte[] Export(MlKem1024KeyPair pair)
    {
        var bytes = new byte[64];
        pair.ExportPrivateKey(bytes);
        return bytes;
    }

    private static string Dump(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value, value.GetType());
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            return string.Empty; // Not serializable at all: nothing can leak this way.
        }
    }

    private static void AssertNoSecretIn(string text, byte[] secret)
    {
        // Any 8-byte window of the private encoding, in hex or base64, would be a leak.
        for (var i = KeyFormat.HeaderSize; i + 8 <= secret.Length; i += 4)
        {
            var window = secret.AsSpan(i, 8);
            Assert.DoesNotContain(Convert.ToHexString(window), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(window)[..8], text, StringComparison.Ordinal);
        }
    }
}
