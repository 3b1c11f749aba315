using Sodium = NSec.Cryptography;

namespace Parley.Crypto.Primitives;

/// <summary>Sizes and signature verification for Ed25519 (RFC 8032), through libsodium.</summary>
public static class Ed25519
{
    /// <summary>Length of a public key in bytes.</summary>
    public const int PublicKeySize = 32;

    /// <summary>Length of the private seed in bytes.</summary>
    public const int SeedSize = 32;

    /// <summary>Length of a signature in bytes.</summary>
    public const int SignatureSize = 64;

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="message"/>. Returns false, never
    /// throws, for malformed keys or signatures of the wrong length.
    /// </summary>
    /// <param name="publicKey">Untrusted 32-byte public key.</param>
    /// <param name="message">The signed bytes.</param>
    /// <param name="signature">Untrusted 64-byte signature.</param>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        var algorithm = Sodium.SignatureAlgorithm.Ed25519;
        if (!Sodium.PublicKey.TryImport(algorithm, publicKey, Sodium.KeyBlobFormat.RawPublicKey, out var key) ||
            key is null)
        {
            return false;
        }

        return algorithm.Verify(key, message, signature);
    }
}
