using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>
/// A published signed X25519 prekey: id, creation time, public key and the identity key's signature
/// over label || tag || id || timestamp || public key. Parsing checks structure and the key;
/// <see cref="Verify"/> checks the signature against the owner's identity.
/// </summary>
public sealed class SignedPreKey
{
    /// <summary>Length of the serialized form.</summary>
    public const int SerializedSize = KeyFormat.HeaderSize + 4 + 8 + X25519.PublicKeySize + Ed25519.SignatureSize;

    private readonly byte[] _publicKey;
    private readonly byte[] _signature;

    internal SignedPreKey(SignedPreKeyId id, long timestampMilliseconds, byte[] publicKey, byte[] signature)
    {
        Id = id;
        TimestampMilliseconds = timestampMilliseconds;
        _publicKey = publicKey;
        _signature = signature;
    }

    /// <summary>The prekey's id.</summary>
    public SignedPreKeyId Id { get; }

    /// <summary>Creation time in Unix milliseconds, as signed.</summary>
    public long TimestampMilliseconds { get; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMilliseconds);

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The identity key's 64-byte signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Parses a serialized signed prekey (signature not yet checked). Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="preKey">The prekey, or null.</param>
    public static bool TryParse(ReadOnlySpan<byte> input, [NotNullWhen(true)] out SignedPreKey? preKey)
    {
        preKey = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedSize || !reader.TryReadHeader(KeyTypeTag.SignedPreKey) ||
            !reader.TryReadUInt32(out var id) || !reader.TryReadInt64(out var timestamp) ||
            !reader.TryReadBytes(X25519.PublicKeySize, out var publicKey) ||
            !reader.TryReadBytes(Ed25519.SignatureSize, out var signature) ||
            !IsValidTimestamp(timestamp) || !X25519.IsAcceptablePublicKey(publicKey))
        {
            return false;
        }

        preKey = new SignedPreKey(new SignedPreKeyId(id), timestamp, publicKey.ToArray(), signature.ToArray());
        return true;
    }

    /// <summary>Parses and verifies against <paramref name="owner"/> in one step (the server's upload check).</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="owner">The identity that must have signed it.</param>
    /// <param name="preKey">The verified prekey, or null.</param>
    public static bool TryParseVerified(ReadOnlySpan<byte> input, IdentityKey owner, [NotNullWhen(true)] out SignedPreKey? preKey)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (TryParse(input, out preKey) && preKey.Verify(owner))
        {
            return true;
        }

        preKey = null;
        return false;
    }

    /// <summary>True when <paramref name="owner"/>'s signing key signed this prekey. Never throws.</summary>
    /// <param name="owner">The claimed owner.</param>
    public bool Verify(IdentityKey owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return owner.Verify(SignatureInput(Id, TimestampMilliseconds, _publicKey), _signature);
    }

    /// <summary>Serializes to version || tag || id || timestamp || public key || signature.</summary>
    public byte[] Serialize()
    {
        var output = new byte[SerializedSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.SignedPreKey);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(2), Id.Value);
        BinaryPrimitives.WriteInt64BigEndian(output.AsSpan(6), TimestampMilliseconds);
        _publicKey.CopyTo(output, 14);
        _signature.CopyTo(output, 14 + X25519.PublicKeySize);
        return output;
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(SignedPreKey)}({Id})";

    internal static byte[] SignatureInput(SignedPreKeyId id, long timestampMilliseconds, ReadOnlySpan<byte> publicKey)
    {
        Span<byte> metadata = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(metadata, timestampMilliseconds);
        return KeyFormat.SignatureInput(KeyTypeTag.SignedPreKey, id.Value, metadata, publicKey);
    }

    internal static bool IsValidTimestamp(long milliseconds) =>
        milliseconds >= 0 && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
}
