using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Sodium = NSec.Cryptography;

namespace Parley.Crypto.Primitives;

/// <summary>
/// An X25519 key pair held by libsodium (through NSec). The private key is exportable so that
/// session state and key records can be serialized; it is wiped when the pair is disposed.
/// </summary>
public sealed class X25519KeyPair : IDisposable
{
    private static readonly Sodium.KeyAgreementAlgorithm Algorithm = Sodium.KeyAgreementAlgorithm.X25519;
    private readonly NSecKeyPair _pair;

    private X25519KeyPair(NSecKeyPair pair) => _pair = pair;

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
    public static X25519KeyPair Generate() => new(NSecKeyPair.Generate(Algorithm));

    /// <summary>Re-creates a key pair from a 32-byte private key.</summary>
    /// <param name="privateKey">The raw private scalar, as written by <see cref="ExportPrivateKey"/>.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static X25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != X25519.PrivateKeySize)
        {
            throw new ArgumentException("An X25519 private key is 32 bytes.", nameof(privateKey));
        }

        return new X25519KeyPair(NSecKeyPair.Import(Algorithm, privateKey));
    }

    /// <summary>Writes the 32-byte private key into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 32 bytes; the caller is responsible for wiping it.</param>
    public void ExportPrivateKey(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_pair.IsDisposed, this);
        if (destination.Length < X25519.PrivateKeySize)
        {
            throw new ArgumentException("The destination must hold 32 bytes.", nameof(destination));
        }

        _pair.ExportPrivateKey(destination, X25519.PrivateKeySize);
    }

    /// <summary>
    /// Computes X25519(private, peer) into <paramref name="sharedSecret32"/>. Returns false (and
    /// writes zeros) when the peer key is not 32 bytes or the result is all zero (a low-order point).
    /// </summary>
    /// <param name="peerPublicKey">The other party's untrusted public key.</param>
    /// <param name="sharedSecret32">Receives the 32-byte shared secret.</param>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret32)
    {
        ObjectDisposedException.ThrowIf(_pair.IsDisposed, this);
        if (sharedSecret32.Length != X25519.SharedSecretSize)
        {
            throw new ArgumentException("The shared secret buffer must be 32 bytes.", nameof(sharedSecret32));
        }

        sharedSecret32.Clear();
        if (peerPublicKey.Length != X25519.PublicKeySize)
        {
            return false;
        }

        var agreed = NativeMethods.IsX25519Available
            ? TryAgreeNative(peerPublicKey, sharedSecret32)
            : TryAgreeNSec(peerPublicKey, sharedSecret32);

        // libsodium already refuses an all-zero result; check again so the contract does not depend on it.
        if (!agreed || CryptographicOperations.FixedTimeEquals(sharedSecret32, stackalloc byte[X25519.SharedSecretSize]))
        {
            sharedSecret32.Clear();
            return false;
        }

        return true;
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose() => _pair.Dispose();

    /// <inheritdoc />
    public override string ToString() => nameof(X25519KeyPair);

    // The same libsodium function NSec's Agree calls, without its per-call PublicKey and SharedSecret
    // objects. The scalar is exported into a stack buffer and wiped at once.
    internal bool TryAgreeNative(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret32)
    {
        Span<byte> scalar = stackalloc byte[X25519.PrivateKeySize];
        Span<byte> peer = stackalloc byte[X25519.PublicKeySize];
        try
        {
            _pair.ExportPrivateKey(scalar, X25519.PrivateKeySize);
            peerPublicKey.CopyTo(peer);
            return NativeMethods.ScalarMultCurve25519(
                ref MemoryMarshal.GetReference(sharedSecret32), ref MemoryMarshal.GetReference(scalar), ref MemoryMarshal.GetReference(peer)) == 0;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    internal bool TryAgreeNSec(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret32)
    {
        if (!Sodium.PublicKey.TryImport(Algorithm, peerPublicKey, Sodium.KeyBlobFormat.RawPublicKey, out var peer) || peer is null)
        {
            return false;
        }

        var parameters = new Sodium.SharedSecretCreationParameters
        {
            ExportPolicy = Sodium.KeyExportPolicies.AllowPlaintextExport,
        };
        using var secret = Algorithm.Agree(_pair.Key, peer, in parameters);
        return secret is not null &&
               secret.TryExport(Sodium.SharedSecretBlobFormat.RawSharedSecret, sharedSecret32, out var written) &&
               written == X25519.SharedSecretSize;
    }
}
