using Sodium = NSec.Cryptography;

namespace Parley.Crypto.Primitives;

/// <summary>
/// An Ed25519 signing key pair held by libsodium (through NSec). The 32-byte seed is exportable so
/// identity keys can be stored (encrypted) by the client; it is wiped on dispose.
/// </summary>
public sealed class Ed25519KeyPair : IDisposable
{
    private static readonly Sodium.SignatureAlgorithm Algorithm = Sodium.SignatureAlgorithm.Ed25519;
    private readonly NSecKeyPair _pair;

    private Ed25519KeyPair(NSecKeyPair pair) => _pair = pair;

    /// <summary>The 32-byte public key.</summary>
    public ReadOnlySpan<byte> PublicKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pair.IsDisposed, this);
            return _pair.PublicKey;
        }
    }

    /// <summary>Creates a fresh key pair from the system's random number generator.</summary>
    public static Ed25519KeyPair Generate() => new(NSecKeyPair.Generate(Algorithm));

    /// <summary>Re-creates a key pair from its 32-byte seed (RFC 8032 private key).</summary>
    /// <param name="seed">The seed, as written by <see cref="ExportSeed"/>.</param>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SeedSize)
        {
            throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed));
        }

        return new Ed25519KeyPair(NSecKeyPair.Import(Algorithm, seed));
    }

    /// <summary>Writes the 32-byte seed into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 32 bytes; the caller is responsible for wiping it.</param>
    public void ExportSeed(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_pair.IsDisposed, this);
        if (destination.Length < Ed25519.SeedSize)
        {
            throw new ArgumentException("The destination must hold 32 bytes.", nameof(destination));
        }

        _pair.ExportPrivateKey(destination, Ed25519.SeedSize);
    }

    /// <summary>Signs <paramref name="message"/> into a 64-byte <paramref name="signature"/>.</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <param name="signature">Exactly 64 bytes.</param>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_pair.IsDisposed, this);
        if (signature.Length != Ed25519.SignatureSize)
        {
            throw new ArgumentException("An Ed25519 signature is 64 bytes.", nameof(signature));
        }

        Algorithm.Sign(_pair.Key, message, signature);
    }

    /// <summary>Signs <paramref name="message"/> and returns the 64-byte signature.</summary>
    /// <param name="message">The bytes to sign.</param>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Sign(message, signature);
        return signature;
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose() => _pair.Dispose();

    /// <inheritdoc />
    public override string ToString() => nameof(Ed25519KeyPair);
}
