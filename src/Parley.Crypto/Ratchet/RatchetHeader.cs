using System.Buffers.Binary;

namespace Parley.Crypto.Ratchet;

/// <summary>
/// The Double Ratchet message header: the sender's current ratchet public key, the length of its
/// previous sending chain and the message number in the current chain. Wire layout (40 bytes):
/// ratchet key (32) || previous chain length (u32, big-endian) || message number (u32, big-endian).
/// </summary>
public readonly struct RatchetHeader
{
    /// <summary>Encoded length in bytes.</summary>
    public const int Length = 32 + 4 + 4;

    private readonly byte[] _ratchetKey;

    /// <summary>Creates a header.</summary>
    /// <param name="ratchetKey">The sender's 32-byte X25519 ratchet public key.</param>
    /// <param name="previousChainLength">Messages sent in the sender's previous sending chain.</param>
    /// <param name="messageNumber">Number of this message in the current sending chain.</param>
    public RatchetHeader(ReadOnlySpan<byte> ratchetKey, uint previousChainLength, uint messageNumber)
    {
        if (ratchetKey.Length != 32)
        {
            throw new ArgumentException("A ratchet key is 32 bytes.", nameof(ratchetKey));
        }

        _ratchetKey = ratchetKey.ToArray();
        PreviousChainLength = previousChainLength;
        MessageNumber = messageNumber;
    }

    /// <summary>The sender's ratchet public key.</summary>
    public ReadOnlySpan<byte> RatchetKey => _ratchetKey;

    /// <summary>Messages sent in the sender's previous sending chain (PN).</summary>
    public uint PreviousChainLength { get; }

    /// <summary>The message number (N).</summary>
    public uint MessageNumber { get; }

    /// <summary>Parses a header from untrusted bytes; never throws.</summary>
    /// <param name="bytes">At least 40 bytes; only the first 40 are read.</param>
    /// <param name="header">The parsed header.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out RatchetHeader header)
    {
        header = default;
        if (bytes.Length < Length)
        {
            return false;
        }

        header = new RatchetHeader(bytes[..32], BinaryPrimitives.ReadUInt32BigEndian(bytes[32..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[36..]));
        return true;
    }

    /// <summary>Writes the 40-byte encoding.</summary>
    /// <param name="destination">At least 40 bytes.</param>
    public void WriteTo(Span<byte> destination)
    {
        _ratchetKey.CopyTo(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[32..], PreviousChainLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[36..], MessageNumber);
    }
}
