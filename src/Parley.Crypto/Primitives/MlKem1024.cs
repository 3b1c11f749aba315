using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace Parley.Crypto.Primitives;

/// <summary>
/// ML-KEM-1024 (FIPS 203) sizes, the encapsulation-key check and encapsulation, through
/// BouncyCastle (the .NET <c>MLKem</c> class needs OpenSSL 3.5, which Debian 12 lacks).
/// </summary>
public static class MlKem1024
{
    /// <summary>Length of an encapsulation (public) key in bytes.</summary>
    public const int PublicKeySize = 1568;

    /// <summary>Length of a ciphertext in bytes.</summary>
    public const int CiphertextSize = 1568;

    /// <summary>Length of the private seed (d || z of FIPS 203) in bytes.</summary>
    public const int SeedSize = 64;

    /// <summary>Length of the shared secret in bytes.</summary>
    public const int SharedSecretSize = 32;

    private const int Modulus = 3329;
    private const int EncodedVectorSize = 1536; // k = 4 polynomials of 256 12-bit coefficients.

    internal static readonly MLKemParameters Parameters = MLKemParameters.ml_kem_1024;

    // BouncyCastle's randomness, backed by System.Security.Cryptography.RandomNumberGenerator.
    internal static readonly SecureRandom Random = new(new CryptoApiRandomGenerator());

    /// <summary>
    /// Runs FIPS 203's encapsulation-key input check: the key is 1568 bytes and every 12-bit
    /// coefficient of its vector part is below q = 3329 (ByteEncode12(ByteDecode12(ek)) = ek).
    /// Never throws; the server uses it to refuse malformed uploads.
    /// </summary>
    /// <param name="publicKey">Untrusted encapsulation key.</param>
    public static bool IsAcceptablePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize)
        {
            return false;
        }

        for (var i = 0; i < EncodedVectorSize; i += 3)
        {
            int b0 = publicKey[i], b1 = publicKey[i + 1], b2 = publicKey[i + 2];
            var c0 = b0 | ((b1 & 0x0f) << 8);
            var c1 = (b1 >> 4) | (b2 << 4);
            if (c0 >= Modulus || c1 >= Modulus)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Encapsulates a fresh shared secret to <paramref name="publicKey"/>. Returns false (ciphertext
    /// empty, secret zeroed) when the key fails <see cref="IsAcceptablePublicKey"/>.
    /// </summary>
    /// <param name="publicKey">The recipient's untrusted encapsulation key.</param>
    /// <param name="ciphertext">Receives the 1568-byte ciphertext to send.</param>
    /// <param name="sharedSecret32">Receives the 32-byte shared secret.</param>
    public static bool TryEncapsulate(ReadOnlySpan<byte> publicKey, out byte[] ciphertext, Span<byte> sharedSecret32) =>
        TryEncapsulate(publicKey, out ciphertext, sharedSecret32, Random);

    /// <summary>Encapsulation with a given source of FIPS 203's 32-byte message m (known-answer tests only).</summary>
    internal static bool TryEncapsulate(ReadOnlySpan<byte> publicKey, out byte[] ciphertext, Span<byte> sharedSecret32, SecureRandom random)
    {
        if (sharedSecret32.Length != SharedSecretSize)
        {
            throw new ArgumentException("The shared secret buffer must be 32 bytes.", nameof(sharedSecret32));
        }

        sharedSecret32.Clear();
        ciphertext = [];
        if (!IsAcceptablePublicKey(publicKey))
        {
            return false;
        }

        var key = MLKemPublicKeyParameters.FromEncoding(Parameters, publicKey.ToArray());
        var encapsulator = new MLKemEncapsulator(Parameters);
        encapsulator.Init(new ParametersWithRandom(key, random));
        var output = new byte[CiphertextSize];
        encapsulator.Encapsulate(output, sharedSecret32);
        ciphertext = output;
        return true;
    }
}
