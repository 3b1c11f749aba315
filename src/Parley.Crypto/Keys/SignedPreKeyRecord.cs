using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>
/// The private side of a signed X25519 prekey, kept by its owner. Its key pair is also the
/// responder's first ratchet key pair in a new session.
/// </summary>
public sealed class SignedPreKeyRecord : IDisposable
{
    /// <summary>Length of the private serialized form.</summary>
    public const int SerializedPrivateSize = KeyFormat.HeaderSize + 4 + 8 + X25519.PrivateKeySize + Ed25519.SignatureSize;

    private readonly X25519KeyPair _keyPair;
    private bool _disposed;

    private SignedPreKeyRecord(X25519KeyPair keyPair, SignedPreKey publicPreKey)
    {
        _keyPair = keyPair;
        PublicPreKey = publicPreKey;
    }

    /// <summary>The prekey's id.</summary>
    public SignedPreKeyId Id => PublicPreKey.Id;

    /// <summary>The public, signed form to upload.</summary>
    public SignedPreKey PublicPreKey { get; }

    /// <summary>The key pair; owned by this record (do not dispose it separately).</summary>
    public X25519KeyPair KeyPair
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keyPair;
        }
    }

    /// <summary>Creates and signs a fresh signed prekey.</summary>
    /// <param name="identity">The owner's identity, which signs it.</param>
    /// <param name="id">Its id.</param>
    /// <param name="timestamp">Its creation time (from the caller's TimeProvider).</param>
    public static SignedPreKeyRecord Generate(IdentityKeyPair identity, SignedPreKeyId id, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));
        var keyPair = X25519KeyPair.Generate();
        var publicKey = keyPair.PublicKey.ToArray();
        var signature = identity.Sign(SignedPreKey.SignatureInput(id, milliseconds, publicKey));
        return new SignedPreKeyRecord(keyPair, new SignedPreKey(id, milliseconds, publicKey, signature));
    }

    /// <summary>Parses the private form. Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="record">The record, or null.</param>
    public static bool TryParsePrivate(ReadOnlySpan<byte> input, [NotNullWhen(true)] out SignedPreKeyRecord? record)
    {
        record = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedPrivateSize || !reader.TryReadHeader(KeyTypeTag.SignedPreKeyRecord) ||
            !reader.TryReadUInt32(out var id) || !reader.TryReadInt64(out var timestamp) ||
            !reader.TryReadBytes(X25519.PrivateKeySize, out var privateKey) ||
            !reader.TryReadBytes(Ed25519.SignatureSize, out var signature) ||
            !SignedPreKey.IsValidTimestamp(timestamp))
        {
            return false;
        }

        var keyPair = X25519KeyPair.FromPrivateKey(privateKey);
        var publicKey = keyPair.PublicKey.ToArray();
        if (!X25519.IsAcceptablePublicKey(publicKey))
        {
            keyPair.Dispose();
            return false;
        }

        var preKey = new SignedPreKey(new SignedPreKeyId(id), timestamp, publicKey, signature.ToArray());
        record = new SignedPreKeyRecord(keyPair, preKey);
        return true;
    }

    /// <summary>Writes the private form: version || tag || id || timestamp || private key || signature. Secret.</summary>
    public byte[] SerializePrivate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var output = new byte[SerializedPrivateSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.SignedPreKeyRecord);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(2), Id.Value);
        BinaryPrimitives.WriteInt64BigEndian(output.AsSpan(6), PublicPreKey.TimestampMilliseconds);
        _keyPair.ExportPrivateKey(output.AsSpan(14, X25519.PrivateKeySize));
        PublicPreKey.Signature.CopyTo(output.AsSpan(14 + X25519.PrivateKeySize));
        return output;
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose()
    {
        _disposed = true;
        _keyPair.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(SignedPreKeyRecord);
}
