using Parley.Crypto.Primitives;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// Wycheproof chacha20_poly1305_test.json and aes_gcm_test.json through <see cref="Aead"/>. Cases
/// with parameters the protocol never uses (keys other than 256 bits, nonces other than 96 bits)
/// must be refused by the wrapper.
/// </summary>
public sealed class AeadVectorTests
{
    private const string ChaChaFile = "chacha20_poly1305_test.json";
    private const string GcmFile = "aes_gcm_test.json";

    public static TheoryData<int> ChaChaIds => WycheproofFile.Ids(ChaChaFile);

    public static TheoryData<int> GcmIds => WycheproofFile.Ids(GcmFile);

    [Theory]
    [InlineData(ChaChaFile, 300)]
    [InlineData(GcmFile, 300)]
    public void Every_case_of_the_file_is_run(string file, int minimum)
    {
        var loaded = WycheproofFile.Load(file);
        Assert.True(loaded.Cases.Count >= minimum);
        Assert.Equal(loaded.DeclaredCount, loaded.Cases.Count);
    }

    [Theory]
    [MemberData(nameof(ChaChaIds))]
    public void ChaCha20Poly1305_case(int tcId) =>
        Check(AeadAlgorithm.ChaCha20Poly1305, WycheproofFile.Load(ChaChaFile).Cases[tcId]);

    [Theory]
    [MemberData(nameof(GcmIds))]
    public void Aes256Gcm_case(int tcId) =>
        Check(AeadAlgorithm.Aes256Gcm, WycheproofFile.Load(GcmFile).Cases[tcId]);

    private static void Check(AeadAlgorithm algorithm, WycheproofCase vector)
    {
        var key = vector.Hex("key");
        var nonce = vector.Hex("iv");
        var aad = vector.Hex("aad");
        var message = vector.Hex("msg");
        var sealedBytes = vector.Hex("ct").Concat(vector.Hex("tag")).ToArray();
        var usesProtocolParameters = vector.GroupInt("keySize") == 256 && vector.GroupInt("ivSize") == 96 &&
                                     vector.GroupInt("tagSize") == 128;

        if (!usesProtocolParameters)
        {
            Assert.Throws<ArgumentException>(() =>
                Aead.Seal(algorithm, key, nonce, message, aad, new byte[message.Length + Aead.TagSize]));
            Assert.Throws<ArgumentException>(() =>
                Aead.TryOpen(algorithm, key, nonce, sealedBytes, aad, new byte[Math.Max(0, sealedBytes.Length - 16)]));
            return;
        }

        var opened = new byte[sealedBytes.Length - Aead.TagSize];
        var ok = Aead.TryOpen(algorithm, key, nonce, sealedBytes, aad, opened);
        Assert.Equal(vector.IsValid, ok);
        if (vector.IsValid)
        {
            Assert.Equal(message, opened);
            var output = new byte[message.Length + Aead.TagSize];
            Aead.Seal(algorithm, key, nonce, message, aad, output);
            Assert.Equal(sealedBytes, output);
        }
        else
        {
            Assert.All(opened, b => Assert.Equal(0, b));
        }
    }

    [Theory]
    [InlineData(AeadAlgorithm.ChaCha20Poly1305)]
    [InlineData(AeadAlgorithm.Aes256Gcm)]
    public void Input_shorter_than_a_tag_is_refused(AeadAlgorithm algorithm)
    {
        Assert.False(Aead.TryOpen(algorithm, new byte[32], new byte[12], new byte[15], [], []));
    }
}
