using System.Security.Cryptography;

namespace Parley.Crypto.Primitives;

/// <summary>HKDF-SHA256 (RFC 5869) and HMAC-SHA256 over System.Security.Cryptography.</summary>
public static class Kdf
{
    /// <summary>Output length of HMAC-SHA256 and SHA-256 in bytes.</summary>
    public const int HashSize = 32;

    /// <summary>The largest output HKDF-SHA256 can produce (255 blocks).</summary>
    public const int MaxHkdfOutputSize = 255 * HashSize;

    /// <summary>
    /// HKDF-SHA256: extract with <paramref name="salt"/> (empty means 32 zero bytes), then expand with
    /// <paramref name="info"/> to fill <paramref name="output"/>.
    /// </summary>
    /// <param name="inputKeyMaterial">The secret input.</param>
    /// <param name="salt">Optional salt.</param>
    /// <param name="info">Context and domain-separation label.</param>
    /// <param name="output">1 to 8160 bytes.</param>
    /// <exception cref="ArgumentException">The output length is 0 or above 8160.</exception>
    public static void Hkdf(
        ReadOnlySpan<byte> inputKeyMaterial,
        ReadOnlySpan<byte> salt,
        ReadOnlySpan<byte> info,
        Span<byte> output)
    {
        if (output.IsEmpty || output.Length > MaxHkdfOutputSize)
        {
            throw new ArgumentException("HKDF-SHA256 output must be 1 to 8160 bytes.", nameof(output));
        }

        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyMaterial, output, salt, info);
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> under <paramref name="key"/>.</summary>
    /// <param name="key">Any length.</param>
    /// <param name="data">The authenticated bytes.</param>
    /// <param name="mac">Exactly 32 bytes.</param>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (mac.Length != HashSize)
        {
            throw new ArgumentException("An HMAC-SHA256 tag is 32 bytes.", nameof(mac));
        }

        HMACSHA256.HashData(key, data, mac);
    }

    /// <summary>
    /// Checks an untrusted HMAC-SHA256 tag in constant time. Truncated tags are refused: anything but
    /// exactly 32 bytes returns false.
    /// </summary>
    /// <param name="key">The MAC key.</param>
    /// <param name="data">The authenticated bytes.</param>
    /// <param name="mac">The untrusted tag.</param>
    public static bool VerifyHmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != HashSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashSize];
        HMACSHA256.HashData(key, data, expected);
        var equal = CryptographicOperations.FixedTimeEquals(expected, mac);
        CryptographicOperations.ZeroMemory(expected);
        return equal;
    }
}
