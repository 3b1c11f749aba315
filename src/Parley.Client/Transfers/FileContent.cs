using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;
using Proto = Parley.Client.Messaging.Proto;

namespace Parley.Client.Transfers;

/// <summary>A <see cref="FilePointer"/> to and from the <c>File</c> body of a protobuf <c>Content</c> (docs/PROTOCOL.md 10C).</summary>
internal static class FileContent
{
    /// <summary>The body carrying <paramref name="file"/>; it wraps the pointer's key without copying it.</summary>
    public static Proto.File ToProto(FilePointer file) => new()
    {
        BlobId = file.BlobId,
        Key = UnsafeByteOperations.UnsafeWrap(file.KeyForWire()),
        Size = (ulong)file.Size,
        CiphertextSha256 = ByteString.CopyFrom(file.CiphertextSha256),
        ChunkSize = (uint)file.ChunkSize,
        Suite = (uint)file.Suite,
        Name = file.Name,
        ContentType = file.ContentType,
    };

    /// <summary>The pointer in a received body, every field checked; false for anything out of range.</summary>
    public static bool TryFromProto(Proto.File body, [NotNullWhen(true)] out FilePointer? file)
    {
        file = null;
        if (!FilePointer.IsBlobId(body.BlobId) || body.Key.Length != FilePointer.KeyBytes
            || body.Size > long.MaxValue || body.CiphertextSha256.Length != FilePointer.DigestBytes
            || body.ChunkSize is < AttachmentFormat.MinChunkSize or > AttachmentFormat.MaxChunkSize
            || body.Suite is not ((uint)AeadAlgorithm.ChaCha20Poly1305 or (uint)AeadAlgorithm.Aes256Gcm)
            || body.Name.Length > FilePointer.MaxNameChars || body.ContentType.Length > FilePointer.MaxContentTypeChars)
        {
            return false;
        }
        file = new FilePointer(body.BlobId, body.Key.Span, (long)body.Size, body.CiphertextSha256.Span, (int)body.ChunkSize, (int)body.Suite, body.Name, body.ContentType);
        return true;
    }
}
