using System.Buffers.Binary;

namespace Parley.Crypto.Keys;

/// <summary>The type tag that follows the version byte of every serialized key or bundle.</summary>
public enum KeyTypeTag : byte
{
    /// <summary>Public identity key (Ed25519 + signed X25519).</summary>
    IdentityKey = 0x01,

    /// <summary>Private identity key pair.</summary>
    IdentityKeyPair = 0x02,

    /// <summary>Public signed X25519 prekey.</summary>
    SignedPreKey = 0x03,

    /// <summary>Private signed X25519 prekey record.</summary>
    SignedPreKeyRecord = 0x04,

    /// <summary>Public one-time X25519 prekey.</summary>
    OneTimePreKey = 0x05,

    /// <summary>Private one-time X25519 prekey record.</summary>
    OneTimePreKeyRecord = 0x06,

    /// <summary>Public signed ML-KEM-1024 prekey.</summary>
    KemPreKey = 0x07,

    /// <summary>Private signed ML-KEM-1024 prekey record.</summary>
    KemPreKeyRecord = 0x08,

    /// <summary>Prekey bundle.</summary>
    PreKeyBundle = 0x09,

    /// <summary>Signed list of supported cipher suites.</summary>
    SuiteList = 0x0A,

    /// <summary>Header of the first message of a session (agreement fields).</summary>
    InitialMessageHeader = 0x0B,
}

/// <summary>Shared constants and helpers of the key serialization format (PROTOCOL.md section 2).</summary>
public static class KeyFormat
{
    /// <summary>The only format version this implementation writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>Length of the version byte and type tag that start every encoding.</summary>
    public const int HeaderSize = 2;

    /// <summary>Domain-separation label that starts every signed message over a key.</summary>
    public static ReadOnlySpan<byte> SignatureLabel => "Parley key signature v1"u8;

    /// <summary>
    /// Builds the bytes an identity key signs for a published key:
    /// label || 0x00 || tag || id (4) || metadata || public key.
    /// </summary>
    internal static byte[] SignatureInput(KeyTypeTag tag, uint id, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> publicKey)
    {
        var label = SignatureLabel;
        var input = new byte[label.Length + 1 + 1 + 4 + metadata.Length + publicKey.Length];
        var span = input.AsSpan();
        label.CopyTo(span);
        span = span[(label.Length + 1)..];
        span[0] = (byte)tag;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], id);
        metadata.CopyTo(span[5..]);
        publicKey.CopyTo(span[(5 + metadata.Length)..]);
        return input;
    }

    internal static void WriteHeader(Span<byte> destination, KeyTypeTag tag)
    {
        destination[0] = Version;
        destination[1] = (byte)tag;
    }
}
