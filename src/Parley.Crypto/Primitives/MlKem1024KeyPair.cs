using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;

namespace Parley.Crypto.Primitives;

/// <summary>
/// An ML-KEM-1024 decapsulation key. Its serialized form is the 64-byte seed (d || z), from which
/// FIPS 203's ML-KEM.KeyGen_internal re-derives the full key. The seed copy held here is wiped on
/// dispose; BouncyCastle's expanded key lives in managed arrays it owns and is left to the GC.
/// </summary>
public sealed class MlKem1024KeyPair : IDisposable
{
    private readonly byte[] _seed;
    private readonly byte[] _publicKey;
    private readonly MLKemPrivateKeyParameters _privateKey;
    private bool _disposed;

    private MlKem1024KeyPair(byte[] seed)
    {
        _seed = seed;
        _privateKey = MLKemPrivateKeyParameters.FromSeed(MlKem1024.Parameters, seed);
        _publicKey = _privateKey.GetPublicKeyEncoded();
    }

    /// <summary>The 1568-byte encapsulation key.</summary>
    public ReadOnlySpan<byte> PublicKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _publicKey;
        }
    }

    /// <summary>Creates a fresh key pair from a 64-byte seed drawn from RandomNumberGenerator.</summary>
    public static MlKem1024KeyPair Generate()
    {
        var seed = new byte[MlKem1024.SeedSize];
        RandomNumberGenerator.Fill(seed);
        return new MlKem1024KeyPair(seed);
    }

    /// <summary>Re-creates a key pair from its 64-byte seed (d || z).</summary>
    /// <param name="seed">The seed, as written by <see cref="ExportPrivateKey"/>.</param>
    /// <exception cref="ArgumentException">The seed is not 64 bytes.</exception>
    public static MlKem1024KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != MlKem1024.SeedSize)
        {
            throw new ArgumentException("An ML-KEM-1024 seed is 64 bytes.", nameof(seed));
        }

        return new MlKem1024KeyPair(seed.ToArray());
    }

    /// <summary>Writes the 64-byte seed into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 64 bytes; the caller is responsible for wiping it.</param>
    public void ExportPrivateKey(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < MlKem1024.SeedSize)
        {
            throw new ArgumentException("The destination must hold 64 bytes.", nameof(destination));
        }

        _seed.CopyTo(destination);
    }

    /// <summary>
    /// Decapsulates <paramref name="ciphertext"/>. Returns false only for a ciphertext of the wrong
    /// length; a tampered ciphertext of the right length yields FIPS 203's implicit-rejection secret,
    /// which simply will not match the sender's.
    /// </summary>
    /// <param name="ciphertext">Untrusted ciphertext.</param>
    /// <param name="sharedSecret32">Receives the 32-byte shared secret.</param>
    public bool TryDecapsulate(ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret32)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sharedSecret32.Length != MlKem1024.SharedSecretSize)
        {
            throw new ArgumentException("The shared secret buffer must be 32 bytes.", nameof(sharedSecret32));
        }

        sharedSecret32.Clear();
        if (ciphertext.Length != MlKem1024.CiphertextSize)
        {
            return false;
        }

        var decapsulator = new MLKemDecapsulator(MlKem1024.Parameters);
        decapsulator.Init(_privateKey);
        decapsulator.Decapsulate(ciphertext, sharedSecret32);
        return true;
    }

    /// <summary>Wipes the seed.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(_seed);
    }

    /// <inheritdoc />
    public override string ToString() => nameof(MlKem1024KeyPair);
}
