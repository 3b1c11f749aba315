using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>
/// A published one-time X25519 prekey (unsigned, as in X3DH: the server hands each out at most once,
/// and a substituted one only costs the forward secrecy of that first message).
/// </summary>
public sealed class OneTimePreKey
{
    /// <summary>Length of the serialized form: version, tag, id, public key.</summary>
    public const int SerializedSize = KeyFormat.HeaderSize + 4 + X25519.PublicKeySize;

    private readonly byte[] _publicKey;

    internal OneTimePreKey(PreKeyId id, byte[] publicKey)
    {
        Id = id;
        _publicKey = publicKey;
    }

    /// <summary>The prekey's id.</summary>
    public PreKeyId Id { get; }

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Parses a serialized one-time prekey, refusing low-order keys. Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="preKey">The prekey, or null.</param>
    public static bool TryParse(ReadOnlySpan<byte> input, [NotNullWhen(true)] out OneTimePreKey? preKey)
    {
        preKey = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedSize || !reader.TryReadHeader(KeyTypeTag.OneTimePreKey) ||
            !reader.TryReadUInt32(out var id) || !reader.TryReadBytes(X25519.PublicKeySize, out var publicKey) ||
            !X25519.IsAcceptablePublicKey(publicKey))
        {
            return false;
        }

        preKey = new OneTimePreKey(new PreKeyId(id), publicKey.ToArray());
        return true;
    }

    /// <summary>Serializes to version || tag || id || public key (38 bytes).</summary>
    public byte[] Serialize()
    {
        var output = new byte[SerializedSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.OneTimePreKey);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(2), Id.Value);
        _publicKey.CopyTo(output, 6);
        return output;
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(OneTimePreKey)}({Id})";
}
