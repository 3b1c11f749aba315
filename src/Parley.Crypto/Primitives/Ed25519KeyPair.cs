using System.Security.Cryptography;
using Sodium = NSec.Cryptography;

namespace Parley.Crypto.Primitives;

/// <summary>
/// An Ed25519 signing key pair held by libsodium (through NSec). The 32-byte seed is exportable so
/// identity keys can be stored (encrypted) by the client; it is wiped on dispose.
/// </summary>
public sealed class Ed25519KeyPair : IDisposable
{
    private static readonly Sodium.SignatureAlgorithm Algorithm = Sodium.SignatureAlgorithm.Ed25519;
    private readonly Sodium.Key _key;
    private readonly byte[] _publicKey;
    private bool _disposed;

    private Ed25519KeyPair(Sodium.Key key)
    {
        _key = key;
        _publicKey = key.PublicKey.Export(Sodium.KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The 32-byte public key.</summary>
    public ReadOnlySpan<byte> PublicKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _publicKey;
        }
    }

    /// <summary>Creates a fresh key pair from the system's random number generator.</summary>
    public static Ed25519KeyPair Generate()
    {
        var parameters = ExportableParameters();
        return new Ed25519KeyPair(Sodium.Key.Create(Algorithm, in parameters));
    }

    /// <summary>Re-creates a key pair from its 32-byte seed (RFC 8032 private key).</summary>
    /// <param name="seed">The seed, as written by <see cref="ExportSeed"/>.</param>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SeedSize)
        {
            throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed));
        }

        var parameters = ExportableParameters();
        var key = Sodium.Key.Import(Algorithm, seed, Sodium.KeyBlobFormat.RawPrivateKey, in parameters);
        return new Ed25519KeyPair(key);
    }

    /// <summary>Writes the 32-byte seed into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 32 bytes; the caller is responsible for wiping it.</param>
    public void ExportSeed(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < Ed25519.SeedSize)
        {
            throw new ArgumentException("The destination must hold 32 bytes.", nameof(destination));
        }

        if (!_key.TryExport(Sodium.KeyBlobFormat.RawPrivateKey, destination, out var written) ||
            written != Ed25519.SeedSize)
        {
            throw new CryptographicException("The private key could not be exported.");
        }
    }

    /// <summary>Signs <paramref name="message"/> into a 64-byte <paramref name="signature"/>.</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <param name="signature">Exactly 64 bytes.</param>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (signature.Length != Ed25519.SignatureSize)
        {
            throw new ArgumentException("An Ed25519 signature is 64 bytes.", nameof(signature));
        }

        Algorithm.Sign(_key, message, signature);
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
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _key.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(Ed25519KeyPair);

    private static Sodium.KeyCreationParameters ExportableParameters() =>
        new() { ExportPolicy = Sodium.KeyExportPolicies.AllowPlaintextExport };
}
