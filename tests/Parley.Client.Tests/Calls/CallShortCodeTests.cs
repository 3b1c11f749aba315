using Parley.Client.Calls;
using Parley.Crypto.Keys;

namespace Parley.Client.Tests.Calls;

/// <summary>The short code read aloud in a call (docs/PROTOCOL.md 10B.5): same on both sides, bound to all four inputs.</summary>
public sealed class CallShortCodeTests
{
    // Two serialized public identities (generated once) and two fixed fingerprints: 00 01 … 1F and FF FE … E0.
    private const string AliceIdentity =
        "010151D92EB6C6E3F7C25DD6A9AED93F2BEC753DF5E67E415BEE4EB8093162E79D14AA787E42ED53975EF1D7454084D6BAE7C0C807C0465A8BECC3B0B648C38542022736C8F2060FABE6725DC04DEACCFE61F1E93094138C26B5ED785BDA557C7C09F0C40FC9B99382007B4DF11D02AA32D95F928594F54CFBE6CBC9258DBA00980D";

    private const string BobIdentity =
        "010161CD16CBD586670C0606FE1BC4EFC3CFEE181017B9A2CB578A93E2E1F62EB183578FADC55C3B856BED4E91E4014A7E379A90B1796F2D1342C93895160FD826432D0A07B7BD9995C33E627E119834D37007572443C50FD881441CFA42F87FE82C1C9E376C6F9B4700A018A92F650A36A15E1FD2CD177636A757E8D1CA227A6B08";

    private static readonly DtlsFingerprint AliceCertificate = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private static readonly DtlsFingerprint BobCertificate = new(Enumerable.Range(0, 32).Select(i => (byte)(0xFF - i)).ToArray());

    [Fact]
    public void The_code_matches_the_known_answer_computed_independently()
    {
        // python3: lo, hi = sorted([ed_a + x_a + fp_a, ed_b + x_b + fp_b]);
        // sha256(b"parley call short code v1" + lo + hi)[:5] as a big-endian integer, mod 10^6.
        Assert.Equal("367 583", CallShortCode.Derive(Key(AliceIdentity), AliceCertificate, Key(BobIdentity), BobCertificate));
    }

    [Fact]
    public void Both_sides_derive_the_same_code()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var aliceCertificate = TestSdp.NewFingerprint();
        var bobCertificate = TestSdp.NewFingerprint();

        var seenByAlice = CallShortCode.Derive(alice.PublicKey, aliceCertificate, bob.PublicKey, bobCertificate);
        var seenByBob = CallShortCode.Derive(bob.PublicKey, bobCertificate, alice.PublicKey, aliceCertificate);

        Assert.Equal(seenByAlice, seenByBob);
        Assert.Matches("^[0-9]{3} [0-9]{3}$", seenByAlice);
    }

    [Fact]
    public void Each_input_changes_the_code()
    {
        var alice = Key(AliceIdentity);
        var bob = Key(BobIdentity);
        using var mallory = IdentityKeyPair.Generate();
        var other = new DtlsFingerprint(Enumerable.Repeat((byte)0x5A, 32).ToArray());
        var code = CallShortCode.Derive(alice, AliceCertificate, bob, BobCertificate);

        // A 1-in-10^6 collision is possible for any one pair of inputs; these fixed ones do not collide.
        Assert.NotEqual(code, CallShortCode.Derive(mallory.PublicKey, AliceCertificate, bob, BobCertificate));
        Assert.NotEqual(code, CallShortCode.Derive(alice, other, bob, BobCertificate));
        Assert.NotEqual(code, CallShortCode.Derive(alice, AliceCertificate, mallory.PublicKey, BobCertificate));
        Assert.NotEqual(code, CallShortCode.Derive(alice, AliceCertificate, bob, other));
        Assert.NotEqual(code, CallShortCode.Derive(alice, BobCertificate, bob, AliceCertificate)); // certificates bound to their identities
    }

    [Fact]
    public void Codes_spread_over_all_digits()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var codes = Enumerable.Range(0, 200)
            .Select(_ => CallShortCode.Derive(alice.PublicKey, TestSdp.NewFingerprint(), bob.PublicKey, TestSdp.NewFingerprint()))
            .ToList();
        Assert.True(codes.Distinct().Count() >= 195, "200 random calls should give (almost) 200 distinct codes");
        Assert.All("0123456789", digit => Assert.Contains(codes, c => c.Contains(digit, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_machine_gives_the_fingerprints_only_once_media_connected_with_the_signalled_one()
    {
        using var line = new CallLine();
        var id = line.Alice.Call(line.Bob);
        line.Settle();
        Assert.Null(line.Alice.Machine.ConnectedFingerprints);
        Assert.Null(line.Bob.Machine.ConnectedFingerprints); // ringing
        Assert.True(line.Bob.Machine.Accept(line.Bob.Sdp, line.Bob.Fingerprint));
        line.Settle();
        Assert.Null(line.Alice.Machine.ConnectedFingerprints); // connecting: the media's fingerprint is not checked yet

        Assert.True(line.Alice.Machine.MediaConnected(line.Bob.Fingerprint));
        Assert.True(line.Bob.Machine.MediaConnected(line.Alice.Fingerprint));
        var seenByAlice = line.Alice.Machine.ConnectedFingerprints!;
        var seenByBob = line.Bob.Machine.ConnectedFingerprints!;
        Assert.Equal((id, line.Bob.Name, line.Alice.Fingerprint, line.Bob.Fingerprint), (seenByAlice.CallId, seenByAlice.Peer, seenByAlice.Local, seenByAlice.Remote));
        Assert.Equal((id, line.Alice.Name, line.Bob.Fingerprint, line.Alice.Fingerprint), (seenByBob.CallId, seenByBob.Peer, seenByBob.Local, seenByBob.Remote));

        Assert.True(line.Alice.Machine.HangUp());
        Assert.Null(line.Alice.Machine.ConnectedFingerprints);
    }

    private static IdentityKey Key(string hex) =>
        IdentityKey.TryParse(Convert.FromHexString(hex), out var key) ? key : throw new InvalidOperationException("bad test key");
}
