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

    /// <inheritdoc />
    public override string ToString() => nameof(UploadHandle);

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();
}
