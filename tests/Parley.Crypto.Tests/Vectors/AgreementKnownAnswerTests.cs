using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// The known-answer vector published in PROTOCOL.md 4.6: every private input is a byte pattern
/// P(s, n) = s, s+1, … (mod 256), n bytes, so another implementation can rebuild it. This pins the
/// whole agreement (encodings, signatures, AD, header, KDF) against silent change. The expected
/// values were also reproduced independently from PROTOCOL.md alone with OpenSSL 4.0's X25519,
/// Ed25519 and ML-KEM-1024 (Python cryptography 48), decapsulating this implementation's ciphertext.
/// </summary>
public sealed class AgreementKnownAnswerTests
{
    private const string ExpectedRootKey = "24e3f8c80040b3dbf90751c5017f9d7b6725c4438e9237bdd20845b47c668a0c";
    private const string ExpectedAdHash = "223e642ff0ad4a8b130fa45cd837f20eb78f91c37e645249b78f1cd6d5c446a2";
    private const string ExpectedHeaderHash = "7d57745ea5961fe863fe2e6c4bb823dd95d32db6a0e8247148a48a7aad1689f1";

    [Fact]
    public void Published_vector_reproduces()
    {
        using var alice = Identity(0x00, 0x20);
        using var bob = Identity(0x40, 0x60);
        using var signed = SignedPreKey(bob, 1, 1_764_000_000_000, Pattern(0x80, 32));
        using var oneTime = OneTime(2, Pattern(0xA0, 32));
        using var kem = Kem(bob, 3, Pattern(0xC0, 64));
        var bundle = new PreKeyBundle("bob", bob.PublicKey, signed.PublicPreKey, oneTime.PublicPreKey, kem.PublicPreKey,
            SignedSuiteList.Create(bob, CipherSuites.All));
        using var ephemeral = X25519KeyPair.FromPrivateKey(Pattern(0xE0, 32));

        using var initiated = HybridAgreement.Initiate(alice, "alice", bundle, CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256,
            ephemeral, new FixedRandom(Pattern(0x55, 32)));
        Assert.True(InitialMessageHeader.TryParse(initiated.Header.Serialize(), out var header));
        using var responded = HybridAgreement.Respond(bob, "bob", signed, oneTime, kem, header);

        Assert.Equal(initiated.RootKey.ToArray(), responded.RootKey.ToArray());
        Assert.Equal(ExpectedRootKey, Convert.ToHexStringLower(initiated.RootKey));
        Assert.Equal(ExpectedAdHash, Convert.ToHexStringLower(SHA256.HashData(initiated.AssociatedData)));
        Assert.Equal(ExpectedHeaderHash, Convert.ToHexStringLower(SHA256.HashData(initiated.Header.Serialize())));
    }

    private static byte[] Pattern(int start, int length) =>
        Enumerable.Range(0, length).Select(i => (byte)(start + i)).ToArray();

    private static IdentityKeyPair Identity(int seedStart, int agreementStart)
    {
        byte[] encoded = [KeyFormat.Version, (byte)KeyTypeTag.IdentityKeyPair, .. Pattern(seedStart, 32), .. Pattern(agreementStart, 32)];
        Assert.True(IdentityKeyPair.TryParsePrivate(encoded, out var identity));
        return identity;
    }

    private static SignedPreKeyRecord SignedPreKey(IdentityKeyPair owner, uint id, long timestamp, byte[] privateKey)
    {
        using var pair = X25519KeyPair.FromPrivateKey(privateKey);
        var signature = owner.Sign(KeyFormat.SignatureInput(KeyTypeTag.SignedPreKey, id, BigEndian(timestamp), pair.PublicKey));
        byte[] encoded = [KeyFormat.Version, (byte)KeyTypeTag.SignedPreKeyRecord, .. BigEndian(id), .. BigEndian(timestamp), .. privateKey, .. signature];
        Assert.True(SignedPreKeyRecord.TryParsePrivate(encoded, out var record));
        return record;
    }

    private static OneTimePreKeyRecord OneTime(uint id, byte[] privateKey)
    {
        byte[] encoded = [KeyFormat.Version, (byte)KeyTypeTag.OneTimePreKeyRecord, .. BigEndian(id), .. privateKey];
        Assert.True(OneTimePreKeyRecord.TryParsePrivate(encoded, out var record));
        return record;
    }

    private static KemPreKeyRecord Kem(IdentityKeyPair owner, uint id, byte[] seed)
    {
        using var pair = MlKem1024KeyPair.FromSeed(seed);
        var signature = owner.Sign(KeyFormat.SignatureInput(KeyTypeTag.KemPreKey, id, [0], pair.PublicKey));
        byte[] encoded = [KeyFormat.Version, (byte)KeyTypeTag.KemPreKeyRecord, .. BigEndian(id), 0, .. seed, .. signature];
        Assert.True(KemPreKeyRecord.TryParsePrivate(encoded, out var record));
        return record;
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Hands out fixed bytes in order; fails the test if asked for more than it holds.</summary>
    private sealed class FixedRandom(byte[] bytes) : SecureRandom
    {
        private int _offset;

        public override void NextBytes(byte[] buf) => NextBytes(buf.AsSpan());

        public override void NextBytes(byte[] buf, int off, int len) => NextBytes(buf.AsSpan(off, len));

        public override void NextBytes(Span<byte> buffer)
        {
            Assert.True(_offset + buffer.Length <= bytes.Length, "The KEM asked for more randomness than the vector defines.");
            bytes.AsSpan(_offset, buffer.Length).CopyTo(buffer);
            _offset += buffer.Length;
        }
    }
}
