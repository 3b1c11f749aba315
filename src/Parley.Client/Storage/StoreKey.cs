using System.Security.Cryptography;

namespace Parley.Client.Storage;

/// <summary>
/// The random 32-byte key that seals every sensitive column of a profile's store. It is wrapped on
/// disk by <see cref="KeyFile"/> and, while logged in, cached by <see cref="UnlockedKeyCache"/>.
/// </summary>
public sealed class StoreKey : IDisposable
{
    /// <summary>The key length in bytes.</summary>
    public const int Size = 32;

    private readonly byte[] _key;
    private bool _disposed;

    private StoreKey(byte[] key) => _key = key;

    /// <summary>Generates a fresh key from the system's cryptographic random source.</summary>
    /// <returns>The key.</returns>
    public static StoreKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>Copies a key from raw bytes (unwrapping, cache).</summary>
    /// <param name="raw">Exactly <see cref="Size"/> bytes.</param>
    /// <returns>The key.</returns>
    public static StoreKey FromBytes(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != Size)
        {
            throw new ArgumentException("A store key is 32 bytes.", nameof(raw));
        }

        return new StoreKey(raw.ToArray());
    }

    /// <summary>The key bytes; valid until disposal.</summary>
    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>Derives a purpose-bound sub-key (HKDF-SHA-256) so the sealing key and the lookup-tag key differ.</summary>
    /// <param name="purpose">A fixed label.</param>
    /// <returns>32 bytes the caller must wipe.</returns>
    internal byte[] DeriveSubKey(string purpose)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, Size, salt: [], info: System.Text.Encoding.UTF8.GetBytes(purpose));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_key);
            _disposed = true;
        }
    }

    /// <inheritdoc />
    public override string ToString() => nameof(StoreKey);
}
