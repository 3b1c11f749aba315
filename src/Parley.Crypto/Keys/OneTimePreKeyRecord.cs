using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>The private side of a one-time X25519 prekey. Delete it after its first successful use.</summary>
public sealed class OneTimePreKeyRecord : IDisposable
{
    /// <summary>Length of the private serialized form: version, tag, id, private key.</summary>
    public const int SerializedPrivateSize = KeyFormat.HeaderSize + 4 + X25519.PrivateKeySize;

    private readonly X25519KeyPair _keyPair;
    private bool _disposed;

    private OneTimePreKeyRecord(X25519KeyPair keyPair, PreKeyId id)
    {
        _keyPair = keyPair;
        PublicPreKey = new OneTimePreKey(id, keyPair.PublicKey.ToArray());
    }

    /// <summary>The prekey's id.</summary>
    public PreKeyId Id => PublicPreKey.Id;

    /// <summary>The public form to upload.</summary>
    public OneTimePreKey PublicPreKey { get; }

    internal X25519KeyPair KeyPair
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keyPair;
        }
    }

    /// <summary>Creates a fresh one-time prekey.</summary>
    /// <param name="id">Its id.</param>
    public static OneTimePreKeyRecord Generate(PreKeyId id) => new(X25519KeyPair.Generate(), id);

    /// <summary>Parses the private form. Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="record">The record, or null.</param>
    public static bool TryParsePrivate(ReadOnlySpan<byte> input, [NotNullWhen(true)] out OneTimePreKeyRecord? record)
    {
        record = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedPrivateSize || !reader.TryReadHeader(KeyTypeTag.OneTimePreKeyRecord) ||
            !reader.TryReadUInt32(out var id) || !reader.TryReadBytes(X25519.PrivateKeySize, out var privateKey))
        {
            return false;
        }

        var keyPair = X25519KeyPair.FromPrivateKey(privateKey);
        if (!X25519.IsAcceptablePublicKey(keyPair.PublicKey))
        {
            keyPair.Dispose();
            return false;
        }

        record = new OneTimePreKeyRecord(keyPair, new PreKeyId(id));
        return true;
    }

    /// <summary>Writes the private form: version || tag || id || private key. Secret.</summary>
    public byte[] SerializePrivate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var output = new byte[SerializedPrivateSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.OneTimePreKeyRecord);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(2), Id.Value);
        _keyPair.ExportPrivateKey(output.AsSpan(6, X25519.PrivateKeySize));
        return output;
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose()
    {
        _disposed = true;
        _keyPair.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(OneTimePreKeyRecord);
}
