using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>Wycheproof mlkem_1024_test.json through <see cref="MlKem1024KeyPair"/>.</summary>
public sealed class MlKemVectorTests
{
    private const string File = "mlkem_1024_test.json";

    public static TheoryData<int> Ids => WycheproofFile.Ids(File);

    [Fact]
    public void Every_case_of_the_file_is_run()
    {
        var file = WycheproofFile.Load(File);
        Assert.True(file.Cases.Count >= 190);
        Assert.Equal(file.DeclaredCount, file.Cases.Count);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Key_generation_and_decapsulation_match(int tcId)
    {
        var vector = WycheproofFile.Load(File).Cases[tcId];
        var seed = vector.Hex("seed");
        if (seed.Length != MlKem1024.SeedSize)
        {
            Assert.True(vector.IsInvalid);
            Assert.Throws<ArgumentException>(() => MlKem1024KeyPair.FromSeed(seed));
            return;
        }

        using var pair = MlKem1024KeyPair.FromSeed(seed);
        Assert.Equal(vector.Hex("ek"), pair.PublicKey.ToArray());
        Assert.True(MlKem1024.IsAcceptablePublicKey(pair.PublicKey));
        var shared = new byte[32];
        var ok = pair.TryDecapsulate(vector.Hex("c"), shared);
        Assert.Equal(vector.IsValid, ok);
        if (ok)
        {
            Assert.Equal(vector.Hex("K"), shared);
        }
    }

    [Fact]
    public void Encapsulation_round_trips()
    {
        using var pair = MlKem1024KeyPair.Generate();
        var sent = new byte[32];
        var received = new byte[32];
        Assert.True(MlKem1024.TryEncapsulate(pair.PublicKey, out var ciphertext, sent));
        Assert.Equal(MlKem1024.CiphertextSize, ciphertext.Length);
        Assert.True(pair.TryDecapsulate(ciphertext, received));
        Assert.Equal(sent, received);

        var seed = new byte[64];
        pair.ExportPrivateKey(seed);
        using var again = MlKem1024KeyPair.FromSeed(seed);
        Assert.Equal(pair.PublicKey.ToArray(), again.PublicKey.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    public void Encapsulation_key_with_a_coefficient_not_below_q_is_refused(int triple)
    {
        using var pair = MlKem1024KeyPair.Generate();
        var key = pair.PublicKey.ToArray();
        var offset = triple * 3;
        // First coefficient of the triple := 3329 (q), encoded little-endian in 12 bits.
        key[offset] = 3329 & 0xff;
        key[offset + 1] = (byte)((key[offset + 1] & 0xf0) | (3329 >> 8));

        Assert.False(MlKem1024.IsAcceptablePublicKey(key));
        Assert.False(MlKem1024.TryEncapsulate(key, out var ciphertext, new byte[32]));
        Assert.Empty(ciphertext);
        Assert.False(MlKem1024.TryEncapsulate(key.AsSpan(0, 1567), out _, new byte[32]));
    }

    [Fact]
    public void Largest_coefficient_below_q_is_accepted()
    {
        using var pair = MlKem1024KeyPair.Generate();
        var key = pair.PublicKey.ToArray();
        key[3] = 3328 & 0xff;
        key[4] = (byte)((key[4] & 0xf0) | (3328 >> 8));
        Assert.True(MlKem1024.IsAcceptablePublicKey(key));
        key[4] = (byte)((key[4] & 0xf0) | 0x0f); // 0xfXX >= q
        key[3] = 0xff;
        Assert.False(MlKem1024.IsAcceptablePublicKey(key));
    }
}
