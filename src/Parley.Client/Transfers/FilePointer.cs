using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;

namespace Parley.Client.Transfers;

/// <summary>
/// Everything a recipient needs to fetch and open a shared file: the blob id (a capability on the
/// server), the file key, the plaintext size, the SHA-256 of the whole ciphertext, the chunk size and
/// cipher suite, and the sender's name and media type (display text only). It travels only inside an
/// end-to-end encrypted message, so the server never sees the key, name or type. Holds a secret: it
/// is sealed, disposable, wipes the key and never prints it.
/// </summary>
public sealed class FilePointer : IDisposable
{
    /// <summary>Format version written in the <c>v</c> field.</summary>
    public const int FormatVersion = 1;

    /// <summary>Largest serialized pointer accepted by <see cref="TryParse"/> (UTF-8 bytes).</summary>
    public const int MaxSerializedBytes = 16 * 1024;

    /// <summary>Longest sender-supplied name kept in a pointer (characters); the receiver sanitizes it anyway.</summary>
    public const int MaxNameChars = 4096;

    /// <summary>Longest media type kept in a pointer.</summary>
    public const int MaxContentTypeChars = 255;

    /// <summary>Length of the file key.</summary>
    public const int KeyBytes = 32;

    /// <summary>Length of the ciphertext digest.</summary>
    public const int DigestBytes = 32;

    /// <summary>Length of a blob id in characters (128 bits in hex).</summary>
    public const int BlobIdChars = 32;


    private readonly byte[] _key;
    private readonly byte[] _digest;
    private bool _disposed;

    /// <summary>Creates a pointer; the key and digest are copied.</summary>
    public FilePointer(string blobId, ReadOnlySpan<byte> key, long size, ReadOnlySpan<byte> ciphertextSha256, int chunkSize, int suite, string name, string contentType)
    {
        if (!IsBlobId(blobId))
        {
            throw new ArgumentException("A blob id is 32 lowercase hex characters.", nameof(blobId));
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, KeyBytes, nameof(key));
        ArgumentOutOfRangeException.ThrowIfNotEqual(ciphertextSha256.Length, DigestBytes, nameof(ciphertextSha256));
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, AttachmentFormat.MinChunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, AttachmentFormat.MaxChunkSize);
        if (suite is not ((int)AeadAlgorithm.ChaCha20Poly1305 or (int)AeadAlgorithm.Aes256Gcm))
        {
            throw new ArgumentOutOfRangeException(nameof(suite));
        }
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(contentType);
        BlobId = blobId;
        _key = key.ToArray();
        _digest = ciphertextSha256.ToArray();
        Size = size;
        ChunkSize = chunkSize;
        Suite = suite;
        Name = name.Length > MaxNameChars ? name[..MaxNameChars] : name;
        ContentType = contentType.Length > MaxContentTypeChars ? contentType[..MaxContentTypeChars] : contentType;
    }

    /// <summary>The server's id of the encrypted blob.</summary>
    public string BlobId { get; }

    /// <summary>Plaintext size in bytes.</summary>
    public long Size { get; }

    /// <summary>Plaintext bytes per chunk.</summary>
    public int ChunkSize { get; }

    /// <summary>Cipher suite id (1 = ChaCha20-Poly1305, 2 = AES-256-GCM).</summary>
    public int Suite { get; }

    /// <summary>The AEAD the blob's chunks are sealed with.</summary>
    public AeadAlgorithm Algorithm => (AeadAlgorithm)Suite;

    /// <summary>Exact length of the encrypted blob this pointer describes.</summary>
    public long CiphertextLength => AttachmentFormat.CiphertextLength(Size, ChunkSize);

    /// <summary>The sender's file name: untrusted display text, sanitize before using as a path.</summary>
    public string Name { get; }

    /// <summary>The sender's media type: untrusted display text.</summary>
    public string ContentType { get; }

    /// <summary>SHA-256 of the whole ciphertext blob.</summary>
    public ReadOnlySpan<byte> CiphertextSha256 => _digest;

    /// <summary>A new <see cref="AttachmentKey"/> holding the file key; the caller disposes it.</summary>
    public AttachmentKey CreateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return AttachmentKey.FromBytes(_key);
    }

    /// <summary>The file key, for serializing the pointer into a message (never printed).</summary>
    internal ReadOnlyMemory<byte> KeyForWire()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key;
    }

    /// <summary>Serializes to compact JSON (key and digest in base64url) for the encrypted message body.</summary>
    public string ToJson()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("id", BlobId);
            writer.WriteString("key", Base64Url.EncodeToString(_key));
            writer.WriteNumber("size", Size);
            writer.WriteString("sha256", Base64Url.EncodeToString(_digest));
            writer.WriteNumber("chunk", ChunkSize);
            writer.WriteNumber("suite", Suite);
            writer.WriteString("name", Name);
            writer.WriteString("type", ContentType);
            writer.WriteEndObject();
        }

        string json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        return json;
    }

    /// <summary>Parses a serialized pointer; hostile input yields false, never an exception.</summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out FilePointer? result)
    {
        result = null;
        if (json is null || json.Length > MaxSerializedBytes || Encoding.UTF8.GetByteCount(json) > MaxSerializedBytes)
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 });
            return TryRead(document.RootElement, out result);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => nameof(FilePointer);

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_key);
            _disposed = true;
        }
    }

    private static bool TryRead(JsonElement root, [NotNullWhen(true)] out FilePointer? result)
    {
        result = null;
        if (root.ValueKind != JsonValueKind.Object
            || !TryInt(root, "v", out long version) || version != FormatVersion
            || !TryString(root, "id", out string? id) || !IsBlobId(id)
            || !TryBytes(root, "key", KeyBytes, out byte[]? key)
            || !TryInt(root, "size", out long size) || size < 0
            || !TryBytes(root, "sha256", DigestBytes, out byte[]? digest)
            || !TryInt(root, "chunk", out long chunk) || chunk is < AttachmentFormat.MinChunkSize or > AttachmentFormat.MaxChunkSize
            || !TryInt(root, "suite", out long suite) || suite is not ((long)AeadAlgorithm.ChaCha20Poly1305 or (long)AeadAlgorithm.Aes256Gcm)
            || !TryString(root, "name", out string? name) || name.Length > MaxNameChars
            || !TryString(root, "type", out string? type) || type.Length > MaxContentTypeChars)
        {
            return false;
        }

        result = new FilePointer(id, key, size, digest, (int)chunk, (int)suite, name, type);
        CryptographicOperations.ZeroMemory(key);
        return true;
    }

    private static bool TryInt(JsonElement root, string name, out long value)
    {
        value = 0;
        return root.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.Number
            && element.TryGetInt64(out value);
    }

    private static bool TryString(JsonElement root, string name, [NotNullWhen(true)] out string? value)
    {
        value = root.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : null;
        return value is not null;
    }

    private static bool TryBytes(JsonElement root, string name, int length, [NotNullWhen(true)] out byte[]? value)
    {
        value = null;
        if (!TryString(root, name, out string? text) || text.Length != Base64Url.GetEncodedLength(length))
        {
            return false;
        }

        // TryDecodeFromChars throws (FormatException) on a character outside the alphabet instead of
        // returning false: validate first (found by coverage-guided fuzzing, tests/Parley.Fuzz.Tests/Regressions).
        var bytes = new byte[length];
        if (!Base64Url.IsValid(text.AsSpan(), out int decodedLength) || decodedLength != length ||
            !Base64Url.TryDecodeFromChars(text, bytes, out int written) || written != length)
        {
            return false;
        }

        value = bytes;
        return true;
    }

    internal static bool IsBlobId([NotNullWhen(true)] string? id) =>
        id is { Length: BlobIdChars } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
