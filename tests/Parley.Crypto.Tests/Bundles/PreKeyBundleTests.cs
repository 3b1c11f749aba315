using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Bundles;

public sealed class PreKeyBundleTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bundle_round_trips_and_verifies(bool withOneTimePreKey)
    {
        using var bob = TestParty.Create("bob", withOneTimePreKey);
        var bundle = TestBundles.For(bob);
        var bytes = bundle.Serialize();

        Assert.True(PreKeyBundle.TryParse(bytes, out var parsed));
        Assert.True(parsed.Verify());
        Assert.Equal("bob", parsed.AccountId);
        Assert.Equal(bob.Identity.PublicKey, parsed.IdentityKey);
        Assert.Equal(withOneTimePreKey, parsed.OneTimePreKey is not null);
        Assert.Equal(bytes, parsed.Serialize());
        Assert.True(bytes.Length <= PreKeyBundle.MaxSerializedSize);
    }

    [Fact]
    public void Bundle_with_prekeys_signed_by_another_identity_does_not_verify()
    {
        using var bob = TestParty.Create("bob");
        using var mallory = TestParty.Create("mallory");
        var suites = SignedSuiteList.Create(bob.Identity, CipherSuites.All);
        var swappedSigned = new PreKeyBundle("bob", bob.Identity.PublicKey, mallory.SignedPreKey.PublicPreKey, null, bob.KemPreKey.PublicPreKey, suites);
        var swappedKem = new PreKeyBundle("bob", bob.Identity.PublicKey, bob.SignedPreKey.PublicPreKey, null, mallory.KemPreKey.PublicPreKey, suites);
        var swappedSuites = new PreKeyBundle("bob", bob.Identity.PublicKey, bob.SignedPreKey.PublicPreKey, null, bob.KemPreKey.PublicPreKey,
            SignedSuiteList.Create(mallory.Identity, CipherSuites.All));

        Assert.False(swappedSigned.Verify());
        Assert.False(swappedKem.Verify());
        Assert.False(swappedSuites.Verify());
    }

    [Fact]
    public void Every_single_flipped_signature_bit_makes_the_bundle_unusable()
    {
        using var bob = TestParty.Create("bob");
        var bundle = TestBundles.For(bob);
        var bytes = bundle.Serialize();
        byte[][] signatures =
        [
            bundle.IdentityKey.Signature.ToArray(), bundle.SignedPreKey.Signature.ToArray(),
            bundle.KemPreKey.Signature.ToArray(), bundle.Suites.Serialize()[^64..],
        ];
        var checkedBits = 0;
        var index = 0;
        foreach (var (start, length) in SignatureRanges(bytes))
        {
            Assert.Equal(signatures[index++], bytes[start..(start + length)]);
            for (var bit = 0; bit < length * 8; bit++)
            {
                var copy = (byte[])bytes.Clone();
                copy[start + (bit / 8)] ^= (byte)(1 << (bit % 8));
                Assert.False(PreKeyBundle.TryParse(copy, out var tampered) && tampered.Verify());
                checkedBits++;
            }
        }

        Assert.Equal(4 * 64 * 8, checkedBits);
    }

    [Fact]
    public void Negotiation_picks_the_initiators_first_choice_the_responder_signed()
    {
        using var bob = TestParty.Create("bob");
        var both = SignedSuiteList.Create(bob.Identity, [CipherSuite.X25519MlKem1024Aes256GcmSha256, CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256]);
        var gcmOnly = SignedSuiteList.Create(bob.Identity, [CipherSuite.X25519MlKem1024Aes256GcmSha256]);
        var unknownOnly = SignedSuiteList.Create(bob.Identity, [(CipherSuite)77]);

        Assert.Equal(CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256, CipherSuites.Negotiate(CipherSuites.All, both));
        Assert.Equal(CipherSuite.X25519MlKem1024Aes256GcmSha256, CipherSuites.Negotiate(CipherSuites.All, gcmOnly));
        Assert.Null(CipherSuites.Negotiate(CipherSuites.All, unknownOnly));
        Assert.Null(CipherSuites.Negotiate([CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256], gcmOnly));
    }

    [Fact]
    public void A_server_cannot_remove_a_suite_from_the_signed_list()
    {
        using var bob = TestParty.Create("bob");
        var list = SignedSuiteList.Create(bob.Identity, CipherSuites.All).Serialize();
        // Drop the first suite: count 2 -> 1, remove one id byte, keep the signature.
        var stripped = new byte[list.Length - 1];
        list.AsSpan(0, 2).CopyTo(stripped);
        stripped[2] = 1;
        list.AsSpan(4).CopyTo(stripped.AsSpan(3));
        Assert.True(SignedSuiteList.TryParse(stripped, out var parsed));
        Assert.False(parsed.Verify(bob.Identity.PublicKey));
        Assert.False(SignedSuiteList.TryParseVerified(stripped, bob.Identity.PublicKey, out _));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 1 })]
    [InlineData(new byte[] { 0 })]
    public void Malformed_suite_lists_are_refused_at_creation(byte[] suites)
    {
        using var identity = IdentityKeyPair.Generate();
        Assert.Throws<ArgumentException>(() => SignedSuiteList.Create(identity, suites.Select(s => (CipherSuite)s).ToArray()));
    }

    /// <summary>Offsets of the four signatures in a bundle with a one-time prekey.</summary>
    private static IEnumerable<(int Start, int Length)> SignatureRanges(byte[] bundle)
    {
        var accountLength = (bundle[2] << 8) | bundle[3];
        var identity = 4 + accountLength;
        yield return (identity + 66, 64);
        var signed = identity + IdentityKey.SerializedSize;
        yield return (signed + 46, 64);
        var kem = signed + SignedPreKey.SerializedSize + 1 + OneTimePreKey.SerializedSize;
        yield return (kem + KemPreKey.SerializedSize - 64, 64);
        yield return (bundle.Length - 64, 64);
    }
}
