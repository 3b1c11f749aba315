using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Tls.Crypto;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Parley.Crypto.Auth;

/// <summary>
/// The fixed SRP-6a parameters of Parley: the 4096-bit group of RFC 5054 Appendix A with generator 5,
/// SHA-256 as the hash, BouncyCastle's SRP-6 implementation for all big-integer arithmetic.
/// </summary>
public static class SrpParameters
{
    /// <summary>Length of the SRP salt in bytes.</summary>
    public const int SaltLength = 32;

    /// <summary>Length of a group element (N, A, B, v, S) in bytes when padded.</summary>
    public const int ElementLength = 512;

    /// <summary>Length of the proofs M1 and M2 (SHA-256 output) in bytes.</summary>
    public const int ProofLength = 32;

    /// <summary>Bits of the private ephemerals a and b (RFC 5054 2.5.4: at least 256).</summary>
    public const int PrivateValueBits = 256;

    /// <summary>The group (N, g).</summary>
    public static Srp6Group Group { get; } = Srp6StandardGroups.rfc5054_4096;

    /// <summary>The prime modulus N.</summary>
    public static BigInteger N => Group.N;

    /// <summary>The generator g.</summary>
    public static BigInteger G => Group.G;

    /// <summary>A fresh SHA-256 digest for BouncyCastle's SRP classes.</summary>
    public static IDigest CreateDigest() => new Sha256Digest();

    /// <summary>Encodes a group element or proof as unsigned big-endian bytes (no leading zeros).</summary>
    public static byte[] ToBytes(BigInteger value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToByteArrayUnsigned();
    }

    /// <summary>Encodes a value as unsigned big-endian bytes left-padded to <paramref name="length"/>.</summary>
    public static byte[] ToPaddedBytes(BigInteger value, int length)
    {
        ArgumentNullException.ThrowIfNull(value);
        var raw = value.ToByteArrayUnsigned();
        if (raw.Length > length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Value is longer than the padded length.");
        }
        var padded = new byte[length];
        raw.CopyTo(padded, length - raw.Length);
        return padded;
    }

    /// <summary>
    /// A fresh private ephemeral: 256 random bits with the top bit set. BouncyCastle's default draws
    /// from [2^255, N) — a 4096-bit exponent that costs ~200 ms per exponentiation in managed code and
    /// makes unauthenticated login starts a denial-of-service lever; 256 bits keep the discrete-log
    /// work at 2^128 (Pollard's lambda) as RFC 5054 asks.
    /// </summary>
    public static BigInteger NewPrivateValue()
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(PrivateValueBits / 8);
        var value = new BigInteger(1, bytes).SetBit(PrivateValueBits - 1);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        return value;
    }

    /// <summary>Decodes unsigned big-endian bytes.</summary>
    public static BigInteger FromBytes(ReadOnlySpan<byte> bytes) => new(1, bytes.ToArray());
}
