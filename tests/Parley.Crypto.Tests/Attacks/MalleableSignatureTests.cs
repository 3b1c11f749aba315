using System.Numerics;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// attacks.md row 36 (P1), malleable or non-canonical Ed25519 signatures (Wycheproof
/// SignatureMalleability / InvalidEncoding; the full file runs in Vectors/Ed25519VectorTests): here
/// the same tricks are applied to the signatures Parley actually checks. A signed prekey whose S is
/// replaced by S + L (the classic malleation) is refused; an identity key whose signing key is a
/// small-order point with the "universal" signature (R = identity point, S = 0), which satisfies the
/// verification equation for every message under a lax verifier, is refused; and so is every
/// small-order signing key of the Wycheproof/libsodium blocklist as R or A.
/// </summary>
public sealed class MalleableSignatureTests
{
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] SmallOrderPoints =
    [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000080",
    ];

    [Fact]
    public void A_signed_prekey_with_S_plus_L_is_refused()
    {
        using var identity = IdentityKeyPair.Generate();
        using var record = SignedPreKeyRecord.Generate(identity, new SignedPreKeyId(3), DateTimeOffset.UnixEpoch);
        var bytes = record.PublicPreKey.Serialize();
        Assert.True(SignedPreKey.TryParseVerified(bytes, identity.PublicKey, out _));
        var sOffset = bytes.Length - 32;
        var s = new BigInteger(bytes.AsSpan(sOffset, 32), isUnsigned: true, isBigEndian: false);
        var malleated = s + L;
        Assert.True(malleated.GetByteCount(isUnsigned: true) <= 32);
        var forged = (byte[])bytes.Clone();
        Array.Clear(forged, sOffset, 32);
        malleated.TryWriteBytes(forged.AsSpan(sOffset), out _, isUnsigned: true, isBigEndian: false);
        Assert.False(SignedPreKey.TryParseVerified(forged, identity.PublicKey, out _));
    }

    [Fact]
    public void A_small_order_signing_key_with_a_universal_signature_is_not_an_identity()
    {
        using var real = IdentityKeyPair.Generate();
        foreach (var hex in SmallOrderPoints)
        {
            var point = Convert.FromHexString(hex);
            foreach (var r in SmallOrderPoints)
            {
                byte[] signature = [.. Convert.FromHexString(r), .. new byte[32]];
                Assert.False(Ed25519.Verify(point, "any message"u8, signature), $"A={hex} R={r}");
                Assert.False(IdentityKey.TryCreate(point, real.PublicKey.AgreementKey, signature, out _), $"A={hex} R={r}");
            }
        }
    }
}
