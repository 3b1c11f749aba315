using System.Buffers.Binary;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Attachments;

/// <summary>
/// The byte layout of an encrypted attachment (docs/PROTOCOL.md section 8):
/// header = "PA" || version (u8) || AEAD suite (u8) || chunk size (u32), then chunks, each the AEAD
/// seal of up to chunk-size plaintext bytes with nonce = chunk index (u64) || flags (u32) and the
/// header as associated data. Every chunk except the last holds exactly chunk-size bytes; the last
/// holds fewer (possibly zero) and carries the final flag, so truncation, reordering, splicing and
/// appending are all detected.
/// </summary>
/// <remarks>
/// The Parley.Crypto.Attachments namespace owns this stream cipher only: it knows keys, chunks and
/// digests, and nothing of uploads, file names or storage.
/// </remarks>
public static class AttachmentFormat
{
    /// <summary>Format version written in the header.</summary>
    public const byte Version = 1;

    /// <summary>Length of the header in bytes.</summary>
    public const int HeaderLength = 8;

    /// <summary>Default plaintext bytes per chunk (64 KiB).</summary>
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>Smallest chunk size accepted (1 KiB).</summary>
    public const int MinChunkSize = 1024;

    /// <summary>Largest chunk size accepted (4 MiB), which bounds a reader's memory whatever the header says.</summary>
    public const int MaxChunkSize = 4 * 1024 * 1024;

    /// <summary>Bytes the AEAD adds to every chunk.</summary>
    public const int TagLength = 16;

    /// <summary>Length of the per-chunk nonce.</summary>
    public const int NonceLength = 12;

    /// <summary>Flag bit set in the nonce of the final chunk.</summary>
    public const uint FinalChunkFlag = 1;

    private static ReadOnlySpan<byte> Magic => "PA"u8;

    /// <summary>
    /// The exact ciphertext length for a plaintext of <paramref name="plaintextLength"/> bytes, e.g. for
    /// announcing an upload's size before encrypting.
    /// </summary>
    /// <param name="plaintextLength">Plaintext size in bytes.</param>
    /// <param name="chunkSize">Chunk size in bytes.</param>
    public static long CiphertextLength(long plaintextLength, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        CheckChunkSize(chunkSize);
        long chunks = (plaintextLength / chunkSize) + 1;
        return HeaderLength + plaintextLength + (chunks * TagLength);
    }

    internal static void CheckChunkSize(int chunkSize) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)(chunkSize - MinChunkSize), (uint)(MaxChunkSize - MinChunkSize), nameof(chunkSize));

    internal static void WriteHeader(Span<byte> header, AeadAlgorithm algorithm, int chunkSize)
    {
        Magic.CopyTo(header);
        header[2] = Version;
        header[3] = (byte)algorithm;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)chunkSize);
    }

    internal static bool TryReadHeader(ReadOnlySpan<byte> header, out AeadAlgorithm algorithm, out int chunkSize)
    {
        algorithm = default;
        chunkSize = 0;
        if (header.Length != HeaderLength || !header[..2].SequenceEqual(Magic) || header[2] != Version)
        {
            return false;
        }

        algorithm = (AeadAlgorithm)header[3];
        uint size = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (algorithm is not (AeadAlgorithm.ChaCha20Poly1305 or AeadAlgorithm.Aes256Gcm) ||
            size < MinChunkSize || size > MaxChunkSize)
        {
            return false;
        }

        chunkSize = (int)size;
        return true;
    }

    internal static void WriteNonce(Span<byte> nonce, ulong chunkIndex, bool final)
    {
        BinaryPrimitives.WriteUInt64BigEndian(nonce, chunkIndex);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], final ? FinalChunkFlag : 0u);
    }
}
