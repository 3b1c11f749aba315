using System.Buffers.Binary;

namespace Parley.Server.Relay;

/// <summary>A sender-chosen 16-byte message id, held as one 128-bit value.</summary>
/// <param name="Value">The id's bytes read big-endian.</param>
public readonly record struct MessageId(UInt128 Value)
{
    /// <summary>Reads an id from exactly <see cref="RelayLimits.MessageIdBytes"/> bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out MessageId id)
    {
        if (bytes.Length != RelayLimits.MessageIdBytes)
        {
            id = default;
            return false;
        }

        id = new MessageId(BinaryPrimitives.ReadUInt128BigEndian(bytes));
        return true;
    }

    /// <summary>The id as its 16 wire bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[RelayLimits.MessageIdBytes];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return bytes;
    }

    /// <summary>A fresh random id (for server-originated queue entries such as contact events).</summary>
    public static MessageId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[RelayLimits.MessageIdBytes];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return new MessageId(BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }
}

/// <summary>The idempotency key of a queued message: message ids are unique per sender.</summary>
/// <param name="SenderId">Account id of the sender.</param>
/// <param name="Id">The sender-chosen id.</param>
public readonly record struct MessageKey(long SenderId, MessageId Id);
