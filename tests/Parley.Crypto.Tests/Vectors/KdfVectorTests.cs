using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>Wycheproof hkdf_sha256_test.json and hmac_sha256_test.json through <see cref="Kdf"/>.</summary>
public sealed class KdfVectorTests
{
    private const string HkdfFile = "hkdf_sha256_test.json";
    private const string HmacFile = "hmac_sha256_test.json";

    public static TheoryData<int> HkdfIds => WycheproofFile.Ids(HkdfFile);

    public static TheoryData<int> HmacIds => WycheproofFile.Ids(HmacFile);

    [Theory]
    [InlineData(HkdfFile, 80)]
    [InlineData(HmacFile, 170)]
    public void Every_case_of_the_file_is_run(string file, int minimum)
    {
        var loaded = WycheproofFile.Load(file);
        Assert.True(loaded.Cases.Count >= minimum);
        Assert.Equal(loaded.DeclaredCount, loaded.Cases.Count);
    }

    [Theory]
    [MemberData(nameof(HkdfIds))]
    public void Hkdf_case(int tcId)
    {
        var vector = WycheproofFile.Load(HkdfFile).Cases[tcId];
        var size = vector.Test.GetProperty("size").GetInt32();
        var output = new byte[size];

        if (vector.IsInvalid)
        {
            // The only invalid cases ask for more than 255 blocks: the wrapper refuses them.
            Assert.True(size > Kdf.MaxHkdfOutputSize);
            Assert.Throws<ArgumentException>(() => Kdf.Hkdf(vector.Hex("ikm"), vector.Hex("salt"), vector.Hex("info"), output));
            return;
        }

        Kdf.Hkdf(vector.Hex("ikm"), vector.Hex("salt"), vector.Hex("info"), output);
        Assert.Equal(vector.Hex("okm"), output);
    }

    [Theory]
    [MemberData(nameof(HmacIds))]
    public void Hmac_case(int tcId)
    {
        var vector = WycheproofFile.Load(HmacFile).Cases[tcId];
        var key = vector.Hex("key");
        var message = vector.Hex("msg");
        var tag = vector.Hex("tag");
        var computed = new byte[32];
        Kdf.Hmac(key, message, computed);

        if (vector.GroupInt("tagSize") != 256)
        {
            // Truncated tags are never accepted, even when they are a correct prefix.
            Assert.False(Kdf.VerifyHmac(key, message, tag));
            Assert.Equal(vector.IsValid, computed.AsSpan(0, tag.Length).SequenceEqual(tag));
            return;
        }

        Assert.Equal(vector.IsValid, Kdf.VerifyHmac(key, message, tag));
        Assert.Equal(vector.IsValid, computed.AsSpan().SequenceEqual(tag));
    }
}
