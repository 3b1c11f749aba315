using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>
/// A published, signed ML-KEM-1024 prekey: one-time or last-resort (the flag is signed, so the server
/// cannot turn a one-time key into a reusable one). Parsing runs FIPS 203's encapsulation-key check;
/// <see cref="Verify"/> checks the signature.
/// </summary>
public sealed class KemPreKey
{
    /// <summary>Length of the serialized form: version, tag, id, flags, key, signature.</summary>
    public const int SerializedSize = KeyFormat.HeaderSize + 4 + 1 + MlKem1024.PublicKeySize + Ed25519.SignatureSize;

    /// <summary>Flags bit 0: the key is a last-resort key (reused until replaced).</summary>
    public const byte LastResortFlag = 0x01;

    private readonly byte[] _publicKey;
    private readonly byte[] _signature;

    internal KemPreKey(KemPreKeyId id, bool isLastResort, byte[] publicKey, byte[] signature)
    {
        Id = id;
        IsLastResort = isLastResort;
        _publicKey = publicKey;
        _signature = signature;
    }

    /// <summary>The prekey's id.</summary>
    public KemPreKeyId Id { get; }

    /// <summary>True for the last-resort key, false for a one-time key.</summary>
    public bool IsLastResort { get; }

    /// <summary>The 1568-byte encapsulation key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The identity key's 64-byte signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Parses a serialized KEM prekey (signature not yet checked). Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="preKey">The prekey, or null.</param>
    public static bool TryParse(ReadOnlySpan<byte> input, [NotNullWhen(true)] out KemPreKey? preKey)
    {
        preKey = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedSize || !reader.TryReadHeader(KeyTypeTag.KemPreKey) ||
            !reader.TryReadUInt32(out var id) || !reader.TryReadByte(out var flags) ||
            !reader.TryReadBytes(MlKem1024.PublicKeySize, out var publicKey) ||
            !reader.TryReadBytes(Ed25519.SignatureSize, out var signature) ||
            (flags & ~LastResortFlag) != 0 || !MlKem1024.IsAcceptablePublicKey(publicKey))
        {
            return false;
        }

        preKey = new KemPreKey(new KemPreKeyId(id), flags == LastResortFlag, publicKey.ToArray(), signature.ToArray());
        return true;
    }

    /// <summary>Parses and verifies against <paramref name="owner"/> in one step (the server's upload check).</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="owner">The identity that must have signed it.</param>
    /// <param name="preKey">The verified prekey, or null.</param>
    public static bool TryParseVerified(ReadOnlySpan<byte> input, IdentityKey owner, [NotNullWhen(true)] out KemPreKey? preKey)
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
        return owner.Verify(SignatureInput(Id, IsLastResort, _publicKey), _signature);
    }

    /// <summary>Serializes to version || tag || id || flags || key || signature (1639 bytes).</summary>
    public byte[] Serialize()
    {
        var output = new byte[SerializedSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.KemPreKey);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(2), Id.Value);
        output[6] = IsLastResort ? LastResortFlag : (byte)0;
        _publicKey.CopyTo(output, 7);
        _signature.CopyTo(output, 7 + MlKem1024.PublicKeySize);
        return output;
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(KemPreKey)}({Id})";

    internal static byte[] SignatureInput(KemPreKeyId id, bool isLastResort, ReadOnlySpan<byte> publicKey) =>
        KeyFormat.SignatureInput(KeyTypeTag.KemPreKey, id.Value, [isLastResort ? LastResortFlag : (byte)0], publicKey);
}
