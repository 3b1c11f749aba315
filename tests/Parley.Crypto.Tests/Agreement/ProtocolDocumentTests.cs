using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Agreement;

/// <summary>
/// Recomputes what docs/PROTOCOL.md sections 1-4 specify, by hand from the document's formulas, and
/// compares it with the implementation: signature inputs, offsets, limits and the root key.
/// </summary>
public sealed class ProtocolDocumentTests
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("Parley key signature v1");

    [Fact]
    public void Documented_sizes_and_limits_hold()
    {
        Assert.Equal(130, IdentityKey.SerializedSize);
        Assert.Equal(66, IdentityKeyPair.SerializedPrivateSize);
        Assert.Equal(110, SignedPreKey.SerializedSize);
        Assert.Equal(110, SignedPreKeyRecord.SerializedPrivateSize);
        Assert.Equal(38, OneTimePreKey.SerializedSize);
        Assert.Equal(38, OneTimePreKeyRecord.SerializedPrivateSize);
        Assert.Equal(1639, KemPreKey.SerializedSize);
        Assert.Equal(135, KemPreKeyRecord.SerializedPrivateSize);
        Assert.Equal(2263, PreKeyBundle.MaxSerializedSize);
        Assert.Equal(2004, InitialMessageHeader.MaxSerializedSize);
        Assert.Equal(256, AccountIds.MaxUtf8Bytes);
        Assert.Equal(16, SignedSuiteList.MaxSuites);
        Assert.Equal(83, SignedSuiteList.MaxSerializedSize);
        Assert.Equal(8160, Kdf.MaxHkdfOutputSize);
    }

    [Fact]
    public void Account_ids_at_and_past_the_limit()
    {
        Assert.True(AccountIds.IsValid(new string('a', 256)));
        Assert.False(AccountIds.IsValid(new string('a', 257)));
        Assert.True(AccountIds.IsValid(new string('é', 128)));
        Assert.False(AccountIds.IsValid(new string('é', 129)));
        Assert.False(AccountIds.IsValid(string.Empty));
        Assert.False(AccountIds.IsValid("\ud800"));
    }

    [Fact]
    public void Signatures_cover_exactly_the_documented_input()
    {
        using var bob = TestParty.Create("bob");
        var identity = bob.Identity.PublicKey;
        Assert.True(Ed25519.Verify(identity.SigningKey, Input(0x01, 0, [], identity.AgreementKey), identity.Signature));

        var spk = bob.SignedPreKey.PublicPreKey;
        var timestamp = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(timestamp, spk.TimestampMilliseconds);
        Assert.True(Ed25519.Verify(identity.SigningKey, Input(0x03, spk.Id.Value, timestamp, spk.PublicKey), spk.Signature));

        var kem = bob.KemPreKey.PublicPreKey;
        Assert.True(Ed25519.Verify(identity.SigningKey, Input(0x07, kem.Id.Value, [0], kem.PublicKey), kem.Signature));

        var suites = SignedSuiteList.Create(bob.Identity, CipherSuites.All).Serialize();
        Assert.True(Ed25519.Verify(identity.SigningKey, Input(0x0A, 0, [2, 1, 2], []), suites.AsSpan(suites.Length - 64)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Root_key_matches_the_documented_derivation(bool withOneTimePreKey)
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob", withOneTimePreKey);
        var bundle = TestBundles.For(bob);
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", bundle, CipherSuite.X25519MlKem1024Aes256GcmSha256);
        var header = initiated.Header;
        var headerBytes = header.Serialize();

        // 4.4: the ephemeral key sits after version, tag, suite, account id and the identity key.
        Assert.Equal(0x0B, headerBytes[1]);
        Assert.Equal((byte)CipherSuite.X25519MlKem1024Aes256GcmSha256, headerBytes[2]);
        var ephemeral = headerBytes.AsSpan(5 + 5 + 130, 32).ToArray();
        Assert.Equal(header.EphemeralKey.ToArray(), ephemeral);

        // 4.5 step 2, computed with Bob's private keys.
        var dh = new List<byte[]>
        {
            Agree(bob.SignedPreKey.KeyPair, alice.Identity.PublicKey.AgreementKey),
            Agree(bob.Identity.AgreementKeyPair, ephemeral),
            Agree(bob.SignedPreKey.KeyPair, ephemeral),
        };
        if (withOneTimePreKey)
        {
            dh.Add(Agree(bob.OneTimePreKey!.KeyPair, ephemeral));
        }

        var ss = new byte[32];
        Assert.True(bob.KemPreKey.KeyPair.TryDecapsulate(header.KemCiphertext, ss));

        // 4.2
        var ad = Concat(Party("alice", alice.Identity.PublicKey), Party("bob", bob.Identity.PublicKey));
        Assert.Equal(ad, initiated.AssociatedData.ToArray());

        // 4.3
        var ikm = Concat([Enumerable.Repeat((byte)0xFF, 32).ToArray(), .. dh, ss]);
        var t = SHA256.HashData(Concat(ad, headerBytes, bob.SignedPreKey.PublicPreKey.PublicKey.ToArray(),
            withOneTimePreKey ? bob.OneTimePreKey!.PublicPreKey.PublicKey.ToArray() : [], bob.KemPreKey.PublicPreKey.PublicKey.ToArray()));
        var info = Concat(Encoding.ASCII.GetBytes("Parley X3DH+ML-KEM-1024 v1"), [2], t);
        var sk = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, new byte[32], info);

        Assert.Equal(sk, initiated.RootKey.ToArray());
    }

    private static byte[] Input(byte tag, uint id, byte[] metadata, ReadOnlySpan<byte> publicKey)
    {
        var idBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(idBytes, id);
        return Concat(Label, [0, tag], idBytes, metadata, publicKey.ToArray());
    }

    private static byte[] Party(string accountId, IdentityKey identity)
    {
        var id = Encoding.UTF8.GetBytes(accountId);
        return Concat([(byte)(id.Length >> 8), (byte)id.Length], id, identity.SigningKey.ToArray(), identity.AgreementKey.ToArray());
    }

    private static byte[] Agree(X25519KeyPair pair, ReadOnlySpan<byte> peer)
    {
        var shared = new byte[32];
        Assert.True(pair.TryAgree(peer, shared));
        return shared;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
