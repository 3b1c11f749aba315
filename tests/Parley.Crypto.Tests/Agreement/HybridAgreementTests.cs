using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Agreement;

/// <summary>Alice starts a session from Bob's bundle; Bob completes it from her first header.</summary>
public sealed class HybridAgreementTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void Both_sides_derive_the_same_root_key_and_associated_data(bool withOneTimePreKey, bool lastResortKem)
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob", withOneTimePreKey, lastResortKem);

        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", Fetch(bob), CipherSuites.All);
        using var responded = Respond(bob, initiated.Header.Serialize());

        Assert.Equal(initiated.RootKey.ToArray(), responded.RootKey.ToArray());
        Assert.Equal(initiated.AssociatedData.ToArray(), responded.AssociatedData.ToArray());
        Assert.Equal(bob.SignedPreKey.PublicPreKey.PublicKey.ToArray(), initiated.SignedPreKeyPublic.ToArray());
        Assert.Equal(initiated.SignedPreKeyPublic.ToArray(), responded.SignedPreKeyPublic.ToArray());
        Assert.Equal(alice.Identity.PublicKey, responded.RemoteIdentity);
        Assert.Equal(bob.Identity.PublicKey, initiated.RemoteIdentity);
        Assert.Equal("alice", responded.RemoteAccountId);
        Assert.Equal("bob", initiated.RemoteAccountId);
        Assert.Equal(withOneTimePreKey, responded.Header.OneTimePreKeyId is not null);
        Assert.Equal(CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256, responded.Suite);
        Assert.NotEqual(new byte[32], initiated.RootKey.ToArray());
    }

    [Fact]
    public void Two_sessions_from_the_same_bundle_have_different_root_keys()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        var bundle = Fetch(bob);
        using var first = HybridAgreement.Initiate(alice.Identity, "alice", bundle, CipherSuites.All);
        using var second = HybridAgreement.Initiate(alice.Identity, "alice", bundle, CipherSuites.All);
        Assert.NotEqual(first.RootKey.ToArray(), second.RootKey.ToArray());
    }

    [Fact]
    public void Re_addressing_to_another_account_id_yields_a_different_secret()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", Fetch(bob), CipherSuites.All);
        Assert.True(InitialMessageHeader.TryParse(initiated.Header.Serialize(), out var header));

        using var asCarol = HybridAgreement.Respond(bob.Identity, "carol", bob.SignedPreKey, bob.OneTimePreKey, bob.KemPreKey, header);

        Assert.NotEqual(initiated.RootKey.ToArray(), asCarol.RootKey.ToArray());
        Assert.NotEqual(initiated.AssociatedData.ToArray(), asCarol.AssociatedData.ToArray());
    }

    [Fact]
    public void A_bundle_relabelled_with_another_account_id_yields_a_different_secret()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        var original = Fetch(bob);
        var relabelled = new PreKeyBundle("mallory", original.IdentityKey, original.SignedPreKey, original.OneTimePreKey,
            original.KemPreKey, original.Suites);
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", relabelled, CipherSuites.All);
        using var responded = Respond(bob, initiated.Header.Serialize());
        Assert.NotEqual(initiated.RootKey.ToArray(), responded.RootKey.ToArray());
    }

    [Fact]
    public void Suite_negotiation_follows_the_initiators_preference_within_the_signed_list()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        var gcmFirst = new[] { CipherSuite.X25519MlKem1024Aes256GcmSha256, CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256 };
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", Fetch(bob), gcmFirst);
        using var responded = Respond(bob, initiated.Header.Serialize());
        Assert.Equal(CipherSuite.X25519MlKem1024Aes256GcmSha256, responded.Suite);
        Assert.Equal(initiated.RootKey.ToArray(), responded.RootKey.ToArray());

        var chachaOnly = TestBundles.For(bob, [CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256]);
        var refused = Assert.Throws<AgreementException>(() =>
            HybridAgreement.Initiate(alice.Identity, "alice", chachaOnly, CipherSuite.X25519MlKem1024Aes256GcmSha256));
        Assert.Equal(AgreementFailure.UnsupportedSuite, refused.Failure);
    }

    [Fact]
    public void Responder_refuses_a_suite_it_does_not_accept()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", Fetch(bob), CipherSuites.All);
        var refused = Assert.Throws<AgreementException>(() => HybridAgreement.Respond(bob.Identity, "bob", bob.SignedPreKey,
            bob.OneTimePreKey, bob.KemPreKey, initiated.Header, [CipherSuite.X25519MlKem1024Aes256GcmSha256]));
        Assert.Equal(AgreementFailure.UnsupportedSuite, refused.Failure);
    }

    [Fact]
    public void Responder_refuses_prekeys_other_than_the_header_names()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        using var otherBob = TestParty.Create("bob", lastResortKem: true);
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", Fetch(bob), CipherSuites.All);
        var header = initiated.Header;

        AgreementFailure Failure(Action act) => Assert.Throws<AgreementException>(act).Failure;
        Assert.Equal(AgreementFailure.PreKeyMismatch, Failure(() =>
            HybridAgreement.Respond(bob.Identity, "bob", bob.SignedPreKey, null, bob.KemPreKey, header)));
        Assert.Equal(AgreementFailure.PreKeyMismatch, Failure(() =>
            HybridAgreement.Respond(bob.Identity, "bob", bob.SignedPreKey, bob.OneTimePreKey, otherBob.KemPreKey, header)));
        using var wrongOneTime = OneTimePreKeyRecord.Generate(new PreKeyId(43));
        Assert.Equal(AgreementFailure.PreKeyMismatch, Failure(() =>
            HybridAgreement.Respond(bob.Identity, "bob", bob.SignedPreKey, wrongOneTime, bob.KemPreKey, header)));
    }

    [Fact]
    public void Every_single_flipped_signature_bit_in_a_bundle_yields_no_session()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        var bundle = TestBundles.For(bob);
        var bytes = bundle.Serialize();
        var signatures = new[]
        {
            bundle.IdentityKey.Signature.ToArray(), bundle.SignedPreKey.Signature.ToArray(),
            bundle.KemPreKey.Signature.ToArray(), bundle.Suites.Serialize()[^64..],
        };
        var flipped = 0;
        foreach (var signature in signatures)
        {
            var start = bytes.AsSpan().IndexOf(signature);
            Assert.True(start > 0);
            for (var bit = 0; bit < 512; bit++)
            {
                var copy = (byte[])bytes.Clone();
                copy[start + (bit / 8)] ^= (byte)(1 << (bit % 8));
                if (PreKeyBundle.TryParse(copy, out var tampered))
                {
                    var refused = Assert.Throws<AgreementException>(() =>
                        HybridAgreement.Initiate(alice.Identity, "alice", tampered, CipherSuites.All));
                    Assert.Equal(AgreementFailure.InvalidBundle, refused.Failure);
                }

                flipped++;
            }
        }

        Assert.Equal(2048, flipped);
    }

    [Fact]
    public void A_tampered_kem_ciphertext_or_ephemeral_key_yields_a_different_secret_or_a_refusal()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        using var initiated = HybridAgreement.Initiate(alice.Identity, "alice", Fetch(bob), CipherSuites.All);
        var encoded = initiated.Header.Serialize();
        var ephemeralOffset = encoded.AsSpan().IndexOf(initiated.Header.EphemeralKey);
        foreach (var offset in new[] { encoded.Length - 1, encoded.Length - 1000, ephemeralOffset, ephemeralOffset + 31 })
        {
            var copy = (byte[])encoded.Clone();
            copy[offset] ^= 0x04;
            if (!InitialMessageHeader.TryParse(copy, out var header))
            {
                continue;
            }

            try
            {
                using var responded = HybridAgreement.Respond(bob.Identity, "bob", bob.SignedPreKey, bob.OneTimePreKey, bob.KemPreKey, header);
                Assert.NotEqual(initiated.RootKey.ToArray(), responded.RootKey.ToArray());
            }
            catch (AgreementException)
            {
                // A refusal is as good as a mismatch.
            }
        }
    }

    [Fact]
    public void Results_print_only_their_type_name_and_are_wiped_on_dispose()
    {
        using var alice = TestParty.Create("alice");
        using var bob = TestParty.Create("bob");
        var result = HybridAgreement.Initiate(alice.Identity, "alice", Fetch(bob), CipherSuites.All);
        Assert.Equal(nameof(AgreementResult), result.ToString());
        result.Dispose();
        Assert.Throws<ObjectDisposedException>(() => result.RootKey.ToArray());
    }

    private static PreKeyBundle Fetch(TestParty party)
    {
        Assert.True(PreKeyBundle.TryParse(TestBundles.For(party).Serialize(), out var bundle));
        return bundle;
    }

    private static AgreementResult Respond(TestParty party, byte[] headerBytes)
    {
        Assert.True(InitialMessageHeader.TryParse(headerBytes, out var header));
        return HybridAgreement.Respond(party.Identity, party.AccountId, party.SignedPreKey, party.OneTimePreKey, party.KemPreKey, header);
    }
}
