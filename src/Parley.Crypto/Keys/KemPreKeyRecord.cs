using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>
/// The private side of a signed ML-KEM-1024 prekey. A one-time record is deleted after its first
/// successful use; the last-resort record is kept until it is replaced.
/// </summary>
public sealed class KemPreKeyRecord : IDisposable
{
    /// <summary>Length of the private serialized form: version, tag, id, flags, seed, signature.</summary>
    public const int SerializedPrivateSize = KeyFormat.HeaderSize + 4 + 1 + MlKem1024.SeedSize + Ed25519.SignatureSize;

    private readonly MlKem1024KeyPair _keyPair;
    private bool _disposed;

    private KemPreKeyRecord(MlKem1024KeyPair keyPair, KemPreKey publicPreKey)
    {
        _keyPair = keyPair;
        PublicPreKey = publicPreKey;
    }

    /// <summary>The prekey's id.</summary>
    public KemPreKeyId Id => PublicPreKey.Id;

    /// <summary>True for the last-resort key.</summary>
    public bool IsLastResort => PublicPreKey.IsLastResort;

    /// <summary>The public, signed form to upload.</summary>
    public KemPreKey PublicPreKey { get; }

    internal MlKem1024KeyPair KeyPair
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keyPair;
        }
    }

    /// <summary>Creates and signs a fresh ML-KEM-1024 prekey.</summary>
    /// <param name="identity">The owner's identity, which signs it.</param>
    /// <param name="id">Its id.</param>
    /// <param name="isLastResort">True for the last-resort key.</param>
    public static KemPreKeyRecord Generate(IdentityKeyPair identity, KemPreKeyId id, bool isLastResort)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var keyPair = MlKem1024KeyPair.Generate();
        var publicKey = keyPair.PublicKey.ToArray();
        var signature = identity.Sign(KemPreKey.SignatureInput(id, isLastResort, publicKey));
        return new KemPreKeyRecord(keyPair, new KemPreKey(id, isLastResort, publicKey, signature));
    }

    /// <summary>Parses the private form. Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="record">The record, or null.</param>
    public static bool TryParsePrivate(ReadOnlySpan<byte> input, [NotNullWhen(true)] out KemPreKeyRecord? record)
    {
        record = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedPrivateSize || !reader.TryReadHeader(KeyTypeTag.KemPreKeyRecord) ||
            !reader.TryReadUInt32(out var id) || !reader.TryReadByte(out var flags) ||
            !reader.TryReadBytes(MlKem1024.SeedSize, out var seed) ||
            !reader.TryReadBytes(Ed25519.SignatureSize, out var signature) ||
            (flags & ~KemPreKey.LastResortFlag) != 0)
        {
            return false;
        }

        var keyPair = MlKem1024KeyPair.FromSeed(seed);
        var preKey = new KemPreKey(new KemPreKeyId(id), flags == KemPreKey.LastResortFlag, keyPair.PublicKey.ToArray(), signature.ToArray());
        record = new KemPreKeyRecord(keyPair, preKey);
        return true;
    }

    /// <summary>Writes the private form: version || tag || id || flags || seed || signature. Secret.</summary>
    public byte[] SerializePrivate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var output = new byte[SerializedPrivateSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.KemPreKeyRecord);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(2), Id.Value);
        output[6] = IsLastResort ? KemPreKey.LastResortFlag : (byte)0;
        _keyPair.ExportPrivateKey(output.AsSpan(7, MlKem1024.SeedSize));
        PublicPreKey.Signature.CopyTo(output.AsSpan(7 + MlKem1024.SeedSize));
        return output;
    }

    /// <summary>Wipes the seed.</summary>
    public void Dispose()
    {
        _disposed = true;
        _keyPair.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(KemPreKeyRecord);
}
