using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Argon2Parameters = NSec.Cryptography.Argon2Parameters;
using PasswordBasedKeyDerivationAlgorithm = NSec.Cryptography.PasswordBasedKeyDerivationAlgorithm;
using Parley.Client.Errors;

namespace Parley.Client.Storage;

/// <summary>
/// The store key wrapped under Argon2id(password): a fixed 89-byte file
/// <c>"PLYK" || version(1) || memoryKiB(u32) || passes(u32) || salt(16) || nonce(12) || ChaCha20-Poly1305(storeKey)(48)</c>.
/// The header is the AEAD's associated data, so the cost parameters cannot be lowered undetected.
/// </summary>
public static class KeyFile
{
    /// <summary>The exact size of a key file in bytes.</summary>
    public const int FileSize = HeaderSize + NonceSize + StoreKey.Size + TagSize;

    private const byte Version = 1;
    private const int SaltSize = 16;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 4 + 1 + 4 + 4 + SaltSize;
    private static readonly byte[] Magic = "PLYK"u8.ToArray();

    /// <summary>Wraps <paramref name="key"/> under <paramref name="password"/> and returns the file's bytes.</summary>
    /// <param name="key">The store key.</param>
    /// <param name="password">The account password.</param>
    /// <param name="cost">The Argon2id cost.</param>
    /// <returns>The file contents.</returns>
    public static byte[] Wrap(StoreKey key, string password, KdfCost cost)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        if (!cost.IsWithinLimits)
        {
            throw new ArgumentOutOfRangeException(nameof(cost));
        }

        var file = new byte[FileSize];
        Magic.CopyTo(file, 0);
        file[4] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(5), (uint)cost.MemoryKiB);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(9), (uint)cost.Passes);
        RandomNumberGenerator.Fill(file.AsSpan(13, SaltSize));
        RandomNumberGenerator.Fill(file.AsSpan(HeaderSize, NonceSize));

        var wrapping = DeriveWrappingKey(password, file.AsSpan(13, SaltSize), cost);
        try
        {
            using var aead = new ChaCha20Poly1305(wrapping);
            var output = file.AsSpan(HeaderSize + NonceSize);
            aead.Encrypt(file.AsSpan(HeaderSize, NonceSize), key.Bytes, output[..StoreKey.Size], output[StoreKey.Size..], file.AsSpan(0, HeaderSize));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapping);
        }

        return file;
    }

    /// <summary>Unwraps the store key from a key file.</summary>
    /// <param name="file">The file contents.</param>
    /// <param name="password">The password to try.</param>
    /// <returns>The store key.</returns>
    /// <exception cref="ParleyClientException">
    /// <see cref="ClientErrorKind.WrongPassword"/> when the password does not open the file;
    /// <see cref="ClientErrorKind.StoreCorrupt"/> when the file is malformed.
    /// </exception>
    public static StoreKey Unwrap(ReadOnlySpan<byte> file, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (file.Length != FileSize || !file[..4].SequenceEqual(Magic) || file[4] != Version)
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        var cost = new KdfCost(
            (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(file[5..]), int.MaxValue),
            (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(file[9..]), int.MaxValue));
        if (!cost.IsWithinLimits)
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        var wrapping = DeriveWrappingKey(password, file.Slice(13, SaltSize), cost);
        var raw = new byte[StoreKey.Size];
        try
        {
            using var aead = new ChaCha20Poly1305(wrapping);
            var sealedKey = file[(HeaderSize + NonceSize)..];
            aead.Decrypt(file.Slice(HeaderSize, NonceSize), sealedKey[..StoreKey.Size], sealedKey[StoreKey.Size..], raw, file[..HeaderSize]);
            return StoreKey.FromBytes(raw);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ParleyClientException(ClientErrorKind.WrongPassword, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapping);
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    private static byte[] DeriveWrappingKey(string password, ReadOnlySpan<byte> salt, KdfCost cost)
    {
        var parameters = new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = cost.MemoryKiB,
            NumberOfPasses = cost.Passes,
        };
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(parameters);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            var output = new byte[32];
            algorithm.DeriveBytes(passwordBytes, salt, output);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }
}
