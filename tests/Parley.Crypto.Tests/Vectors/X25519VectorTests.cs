using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>Wycheproof x25519_test.json through <see cref="X25519KeyPair.TryAgree"/>.</summary>
public sealed class X25519VectorTests
{
    private const string File = "x25519_test.json";

    public static TheoryData<int> Ids => WycheproofFile.Ids(File);

    [Fact]
    public void Every_case_of_the_file_is_run()
    {
        var file = WycheproofFile.Load(File);
        Assert.True(file.Cases.Count >= 518);
        Assert.Equal(file.DeclaredCount, file.Cases.Count);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Agreement_matches_or_a_zero_result_is_refused(int tcId)
    {
        var vector = WycheproofFile.Load(File).Cases[tcId];
        var expected = vector.Hex("shared");
        var peer = vector.Hex("public");
        using var pair = X25519KeyPair.FromPrivateKey(vector.Hex("private"));
        var shared = new byte[32];

        var agreed = pair.TryAgree(peer, shared);

        if (expected.All(b => b == 0))
        {
            // Low-order / zero-shared-secret cases must never produce a key.
            Assert.False(agreed);
            Assert.False(X25519.IsAcceptablePublicKey(peer));
        }
        else
        {
            Assert.NotEqual("invalid", vector.Result);
            Assert.True(agreed);
            Assert.Equal(expected, shared);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Native_and_NSec_paths_agree_on_every_case(int tcId)
    {
        Assert.True(NativeMethods.IsX25519Available, "libsodium must bind in the test process");
        var vector = WycheproofFile.Load(File).Cases[tcId];
        var expected = vector.Hex("shared");
        using var pair = X25519KeyPair.FromPrivateKey(vector.Hex("private"));
        var viaNative = new byte[32];
        var viaNSec = new byte[32];

        var nativeOk = pair.TryAgreeNative(vector.Hex("public"), viaNative);
        var nsecOk = pair.TryAgreeNSec(vector.Hex("public"), viaNSec);

        var zero = expected.All(b => b == 0);
        Assert.Equal(!zero, nativeOk);
        Assert.Equal(!zero, nsecOk);
        if (!zero)
        {
            Assert.Equal(expected, viaNative);
            Assert.Equal(expected, viaNSec);
        }
    }

    [Fact]
    public void Wrong_length_public_keys_are_refused()
    {
        using var pair = X25519KeyPair.Generate();
        var shared = new byte[32];
        Assert.False(pair.TryAgree(new byte[31], shared));
        Assert.False(pair.TryAgree(new byte[33], shared));
        Assert.False(X25519.IsAcceptablePublicKey(new byte[31]));
    }

    [Fact]
    public void Private_key_round_trips_through_export()
    {
        using var a = X25519KeyPair.Generate();
        using var b = X25519KeyPair.Generate();
        var exported = new byte[32];
        a.ExportPrivateKey(exported);
        using var again = X25519KeyPair.FromPrivateKey(exported);
        var s1 = new byte[32];
        var s2 = new byte[32];
        Assert.True(again.TryAgree(b.PublicKey, s1));
        Assert.True(b.TryAgree(a.PublicKey, s2));
        Assert.Equal(s1, s2);
        Assert.Equal(a.PublicKey.ToArray(), again.PublicKey.ToArray());
    }
}
