using System.Security.Cryptography;

namespace Parley.Crypto.Attachments;

/// <summary>
/// The random 32-byte key of one attachment. A fresh key is generated for every file and travels to
/// the recipient inside the end-to-end encrypted file pointer; it is never reused.
/// </summary>
public sealed class AttachmentKey : IDisposable
{
    /// <summary>Length of the key in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _key;
    private bool _disposed;

    private AttachmentKey(byte[] key) => _key = key;

    /// <summary>Generates a fresh random key.</summary>
    public static AttachmentKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Re-creates a key received in a file pointer.</summary>
    /// <param name="key">Exactly 32 bytes.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static AttachmentKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException("An attachment key is 32 bytes.", nameof(key));
        }

        return new AttachmentKey(key.ToArray());
    }

    /// <summary>Copies the key into <paramref name="destination"/> (for the encrypted file pointer).</summary>
    /// <param name="destination">At least 32 bytes; the caller wipes it when done.</param>
    public void CopyTo(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < Length)
        {
            throw new ArgumentException("The destination must hold 32 bytes.", nameof(destination));
        }

        _key.CopyTo(destination);
    }

    internal ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>Wipes the key.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
    }

    /// <inheritdoc/>
    public override string ToString() => nameof(AttachmentKey);
}
