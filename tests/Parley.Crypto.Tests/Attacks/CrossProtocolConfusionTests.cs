using System.Reflection;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// attacks.md row 22 (P0), cross-protocol confusion (Threema vouch-box forgery; CVE-2022-39250/39251):
/// the identity key signs only inputs Parley.Crypto builds, each with a label and a key-type tag, so
/// a signature made for one purpose never verifies for another. The library offers no public method
/// that signs caller-chosen bytes with an identity key (it did: IdentityKeyPair.Sign was public), and
/// signatures transplanted between an identity key, a signed prekey, a KEM prekey and a suite list
/// over the same key bytes are refused.
/// </summary>
public sealed class CrossProtocolConfusionTests
{
    [Fact]
    public void No_public_api_signs_caller_chosen_bytes_with_an_identity_key()
    {
        foreach (var type in (Type[])[typeof(IdentityKeyPair), typeof(IdentityKey), typeof(SignedPreKeyRecord), typeof(KemPreKeyRecord)])
        {
            var signers = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.Name.Contains("Sign", StringComparison.Ordinal) && m.Name != "get_Signature" && m.Name != "get_SigningKey")
                .Select(m => $"{type.Name}.{m.Name}");
            Assert.Empty(signers);
        }
    }

    [Fact]
    public void The_identity_keys_own_signature_does_not_make_its_agreement_key_a_signed_prekey()
    {
        using var identity = IdentityKeyPair.Generate();
        var key = identity.PublicKey;
        // Same 32 key bytes, same signer, signature made for the IdentityKey purpose (tag 0x01).
        for (uint id = 0; id < 4; id++)
        {
            var forged = SignedPreKeyBytes(id, 0, key.AgreementKey, key.Signature);
            Assert.False(SignedPreKey.TryParseVerified(forged, key, out _));
        }
    }

    [Fact]
    public void A_signed_prekeys_signature_does_not_verify_under_another_id_time_or_type()
    {
        using var identity = IdentityKeyPair.Generate();
        using var record = SignedPreKeyRecord.Generate(identity, new SignedPreKeyId(5), DateTimeOffset.FromUnixTimeMilliseconds(1_000));
        var genuine = record.PublicPreKey;
        Assert.True(SignedPreKey.TryParseVerified(genuine.Serialize(), identity.PublicKey, out _));
        Assert.False(SignedPreKey.TryParseVerified(SignedPreKeyBytes(6, 1_000, genuine.PublicKey, genuine.Signature), identity.PublicKey, out _));
        Assert.False(SignedPreKey.TryParseVerified(SignedPreKeyBytes(5, 1_001, genuine.PublicKey, genuine.Signature), identity.PublicKey, out _));

        // The same signature presented as a suite list's signature.
        var suites = SignedSuiteList.Create(identity, CipherSuites.All).Serialize();
        genuine.Signature.CopyTo(suites.AsSpan(suites.Length - 64));
        Assert.False(SignedSuiteList.TryParseVerified(suites, identity.PublicKey, out _));
    }

    [Fact]
    public void A_kem_prekeys_signature_does_not_turn_a_one_time_key_into_a_last_resort_key()
    {
        using var identity = IdentityKeyPair.Generate();
        using var oneTime = KemPreKeyRecord.Generate(identity, new KemPreKeyId(9), isLastResort: false);
        var bytes = oneTime.PublicPreKey.Serialize();
        Assert.True(KemPreKey.TryParseVerified(bytes, identity.PublicKey, out _));
        var flagged = 0;
        const int flagsOffset = KeyFormat.HeaderSize + 4;
        for (var value = 0; value < 256; value++)
        {
            var relabelled = (byte[])bytes.Clone();
            relabelled[flagsOffset] = (byte)value;
            if (KemPreKey.TryParse(relabelled, out var parsed) && parsed.IsLastResort)
            {
                flagged++;
                Assert.False(KemPreKey.TryParseVerified(relabelled, identity.PublicKey, out _));
            }
        }

        Assert.True(flagged >= 1);
    }

    private static byte[] SignedPreKeyBytes(uint id, long timestamp, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature)
    {
        var bytes = new byte[SignedPreKey.SerializedSize];
        bytes[0] = KeyFormat.Version;
        bytes[1] = (byte)KeyTypeTag.SignedPreKey;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), id);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(6), timestamp);
        publicKey.CopyTo(bytes.AsSpan(14));
        signature.CopyTo(bytes.AsSpan(46));
        return bytes;
    }
}
