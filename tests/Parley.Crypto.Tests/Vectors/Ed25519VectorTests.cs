using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>Wycheproof ed25519_test.json through <see cref="Ed25519.Verify"/>.</summary>
public sealed class Ed25519VectorTests
{
    private const string File = "ed25519_test.json";

    public static TheoryData<int> Ids => WycheproofFile.Ids(File);

    [Fact]
    public void Every_case_of_the_file_is_run()
    {
        var file = WycheproofFile.Load(File);
        Assert.True(file.Cases.Count >= 150);
        Assert.Equal(file.DeclaredCount, file.Cases.Count);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Verification_result_matches(int tcId)
    {
        var vector = WycheproofFile.Load(File).Cases[tcId];
        var publicKey = Convert.FromHexString(vector.Group.GetProperty("publicKey").GetProperty("pk").GetString()!);

        var verified = Ed25519.Verify(publicKey, vector.Hex("msg"), vector.Hex("sig"));

        Assert.Equal(vector.IsValid, verified);
    }

    [Fact]
    public void Signatures_from_a_seed_verify_and_the_seed_round_trips()
    {
        using var pair = Ed25519KeyPair.Generate();
        var seed = new byte[32];
        pair.ExportSeed(seed);
        using var again = Ed25519KeyPair.FromSeed(seed);
        var message = "parley"u8.ToArray();
        var signature = again.Sign(message);
        Assert.Equal(pair.PublicKey.ToArray(), again.PublicKey.ToArray());
        Assert.True(Ed25519.Verify(pair.PublicKey, message, signature));
        Assert.False(Ed25519.Verify(pair.PublicKey[..31], message, signature));
        Assert.False(Ed25519.Verify(pair.PublicKey, message, signature.AsSpan(0, 63)));
    }
}
