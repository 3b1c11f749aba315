using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Keys;

/// <summary>Every key type round-trips through its public and private encodings, byte for byte.</summary>
public sealed class KeySerializationTests
{
    [Fact]
    public void Identity_key_pair_round_trips_and_its_public_key_verifies()
    {
        using var identity = IdentityKeyPair.Generate();
        var privateBytes = identity.SerializePrivate();
        Assert.Equal(IdentityKeyPair.SerializedPrivateSize, privateBytes.Length);
        Assert.Equal([KeyFormat.Version, (byte)KeyTypeTag.IdentityKeyPair], privateBytes[..2]);

        Assert.True(IdentityKeyPair.TryParsePrivate(privateBytes, out var again));
        using (again)
        {
            Assert.Equal(identity.PublicKey, again.PublicKey);
            Assert.Equal(identity.PublicKey.Serialize(), again.PublicKey.Serialize());
        }

        var publicBytes = identity.PublicKey.Serialize();
        Assert.Equal(IdentityKey.SerializedSize, publicBytes.Length);
        Assert.True(IdentityKey.TryParse(publicBytes, out var parsed));
        Assert.Equal(identity.PublicKey, parsed);
        Assert.True(parsed.Verify("m"u8, identity.Sign("m"u8)));
    }

    [Fact]
    public void Identity_key_with_an_agreement_key_it_did_not_sign_is_refused()
    {
        using var a = IdentityKeyPair.Generate();
        using var b = IdentityKeyPair.Generate();
        var forged = a.PublicKey.Serialize();
        b.PublicKey.AgreementKey.CopyTo(forged.AsSpan(2 + 32));
        Assert.False(IdentityKey.TryParse(forged, out _));
    }

    [Fact]
    public void Signed_prekey_round_trips_and_verifies_only_against_its_owner()
    {
        using var owner = IdentityKeyPair.Generate();
        using var other = IdentityKeyPair.Generate();
        using var record = SignedPreKeyRecord.Generate(owner, new SignedPreKeyId(3), DateTimeOffset.FromUnixTimeMilliseconds(5));

        Assert.True(SignedPreKey.TryParse(record.PublicPreKey.Serialize(), out var parsed));
        Assert.Equal(new SignedPreKeyId(3), parsed.Id);
        Assert.Equal(5, parsed.TimestampMilliseconds);
        Assert.True(parsed.Verify(owner.PublicKey));
        Assert.False(parsed.Verify(other.PublicKey));
        Assert.True(SignedPreKey.TryParseVerified(record.PublicPreKey.Serialize(), owner.PublicKey, out _));
        Assert.False(SignedPreKey.TryParseVerified(record.PublicPreKey.Serialize(), other.PublicKey, out _));

        Assert.True(SignedPreKeyRecord.TryParsePrivate(record.SerializePrivate(), out var again));
        using (again)
        {
            Assert.Equal(record.PublicPreKey.Serialize(), again.PublicPreKey.Serialize());
            Assert.Equal(record.SerializePrivate(), again.SerializePrivate());
        }
    }

    [Fact]
    public void Signed_prekey_with_a_changed_id_or_timestamp_fails_verification()
    {
        using var owner = IdentityKeyPair.Generate();
        using var record = SignedPreKeyRecord.Generate(owner, new SignedPreKeyId(3), DateTimeOffset.FromUnixTimeMilliseconds(5));
        var bytes = record.PublicPreKey.Serialize();
        bytes[5] ^= 1; // id
        Assert.True(SignedPreKey.TryParse(bytes, out var changedId));
        Assert.False(changedId.Verify(owner.PublicKey));
        bytes[5] ^= 1;
        bytes[13] ^= 1; // timestamp
        Assert.True(SignedPreKey.TryParse(bytes, out var changedTime));
        Assert.False(changedTime.Verify(owner.PublicKey));
    }

    [Fact]
    public void One_time_prekey_round_trips()
    {
        using var record = OneTimePreKeyRecord.Generate(new PreKeyId(uint.MaxValue));
        Assert.True(OneTimePreKey.TryParse(record.PublicPreKey.Serialize(), out var parsed));
        Assert.Equal(new PreKeyId(uint.MaxValue), parsed.Id);
        Assert.Equal(record.PublicPreKey.PublicKey.ToArray(), parsed.PublicKey.ToArray());
        Assert.True(OneTimePreKeyRecord.TryParsePrivate(record.SerializePrivate(), out var again));
        using (again)
        {
            Assert.Equal(record.PublicPreKey.Serialize(), again.PublicPreKey.Serialize());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Kem_prekey_round_trips_and_its_last_resort_flag_is_signed(bool lastResort)
    {
        using var owner = IdentityKeyPair.Generate();
        using var record = KemPreKeyRecord.Generate(owner, new KemPreKeyId(9), lastResort);
        var bytes = record.PublicPreKey.Serialize();
        Assert.Equal(KemPreKey.SerializedSize, bytes.Length);
        Assert.True(KemPreKey.TryParseVerified(bytes, owner.PublicKey, out var parsed));
        Assert.Equal(lastResort, parsed.IsLastResort);

        bytes[6] ^= KemPreKey.LastResortFlag;
        Assert.True(KemPreKey.TryParse(bytes, out var flipped));
        Assert.False(flipped.Verify(owner.PublicKey));
        bytes[6] = 0x02; // unknown flag bit
        Assert.False(KemPreKey.TryParse(bytes, out _));

        Assert.True(KemPreKeyRecord.TryParsePrivate(record.SerializePrivate(), out var again));
        using (again)
        {
            Assert.Equal(record.PublicPreKey.Serialize(), again.PublicPreKey.Serialize());
        }
    }

    [Fact]
    public void Low_order_prekeys_are_refused_by_the_parser()
    {
        using var record = OneTimePreKeyRecord.Generate(new PreKeyId(1));
        var bytes = record.PublicPreKey.Serialize();
        bytes.AsSpan(6).Clear();
        Assert.False(OneTimePreKey.TryParse(bytes, out _));
        bytes[6] = 1;
        Assert.False(OneTimePreKey.TryParse(bytes, out _));
        Assert.False(X25519.IsAcceptablePublicKey(bytes.AsSpan(6)));
    }

    [Fact]
    public void Wrong_version_or_tag_is_refused()
    {
        using var identity = IdentityKeyPair.Generate();
        var bytes = identity.PublicKey.Serialize();
        bytes[0] = 2;
        Assert.False(IdentityKey.TryParse(bytes, out _));
        bytes[0] = KeyFormat.Version;
        bytes[1] = (byte)KeyTypeTag.SignedPreKey;
        Assert.False(IdentityKey.TryParse(bytes, out _));
    }
}
