using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;

namespace Parley.Client.Transfers;

/// <summary>
/// A created upload: the server's blob id, the file's fresh key and what is needed to regenerate the
/// same ciphertext (the cipher is deterministic for a key, so a resumed upload re-encrypts and skips
/// what the server already holds). Keep it to resume after an interruption; dispose it to wipe the key.
/// </summary>
public sealed class UploadHandle : IDisposable
{
    internal UploadHandle(string blobId, AttachmentKey key, string path, long size, DateTime lastWriteUtc,
        string name, string contentType, AeadAlgorithm algorithm, int chunkSize)
    {
        BlobId = blobId;
        Key = key;
        Path = path;
        PlaintextSize = size;
        LastWriteUtc = lastWriteUtc;
        Name = name;
        ContentType = contentType;
        Algorithm = algorithm;
        ChunkSize = chunkSize;
    }

    /// <summary>The server's id of the blob being uploaded.</summary>
    public string BlobId { get; }

    /// <summary>The local file being uploaded.</summary>
    public string Path { get; }

    /// <summary>Plaintext size when the upload was created.</summary>
    public long PlaintextSize { get; }

    /// <summary>Exact ciphertext length announced to the server.</summary>
    public long CiphertextLength => AttachmentFormat.CiphertextLength(PlaintextSize, ChunkSize);

    /// <summary>The name put in the pointer (the file's own name, no directories).</summary>
    public string Name { get; }

    /// <summary>The media type put in the pointer.</summary>
    public string ContentType { get; }

    /// <summary>The AEAD of the chunks.</summary>
    public AeadAlgorithm Algorithm { get; }

    /// <summary>Plaintext bytes per chunk.</summary>
    public int ChunkSize { get; }

    internal AttachmentKey Key { get; }

    internal DateTime LastWriteUtc { get; }

    /// <summary>Length of <see cref="ExportResumeState"/>'s output.</summary>
    public const int ResumeStateLength = 2 + 4 + AttachmentKey.Length + FilePointer.BlobIdChars;

    private const byte ResumeStateVersion = 1;

    /// <summary>
    /// The secret state needed to resume this upload from another process: version, suite, chunk size,
    /// key and blob id. It holds the file key — keep it only in the encrypted store, wipe it after use.
    /// </summary>
    public byte[] ExportResumeState()
    {
        var state = new byte[ResumeStateLength];
        state[0] = ResumeStateVersion;
        state[1] = (byte)Algorithm;
        BinaryPrimitives.WriteInt32BigEndian(state.AsSpan(2), ChunkSize);
        Key.CopyTo(state.AsSpan(6, AttachmentKey.Length));
        Encoding.ASCII.GetBytes(BlobId, state.AsSpan(6 + AttachmentKey.Length));
        return state;
    }

    /// <summary>
    /// Rebuilds a handle from <see cref="ExportResumeState"/> for the file at <paramref name="path"/>
    /// (which must be the same, unchanged file); null when the state is malformed.
    /// </summary>
    public static UploadHandle? ImportResumeState(ReadOnlySpan<byte> state, string path, string contentType)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (state.Length != ResumeStateLength || state[0] != ResumeStateVersion
            || state[1] is not ((byte)AeadAlgorithm.ChaCha20Poly1305 or (byte)AeadAlgorithm.Aes256Gcm))
        {
            return null;
        }

        int chunkSize = BinaryPrimitives.ReadInt32BigEndian(state[2..]);
        string blobId = Encoding.ASCII.GetString(state[(6 + AttachmentKey.Length)..]);
        var info = new FileInfo(path);
        if (chunkSize is < AttachmentFormat.MinChunkSize or > AttachmentFormat.MaxChunkSize || !info.Exists
            || blobId.Length != FilePointer.BlobIdChars || !blobId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            return null;
        }

        return new UploadHandle(blobId, AttachmentKey.FromBytes(state.Slice(6, AttachmentKey.Length)), info.FullName, info.Length,
            info.LastWriteTimeUtc, info.Name, contentType, (AeadAlgorithm)state[1], chunkSize);
    }

    /// <summary>A name that identifies "this file, unchanged, to this peer" for finding a resume state.</summary>
    public static string ResumeKey(string peer, string path)
    {
        var info = new FileInfo(path);
        string identity = $"{peer}\n{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    /// <inheritdoc />
    public override string ToString() => nameof(UploadHandle);

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();
}
