using System.Buffers.Binary;
using System.Text;

namespace Parley.Server.Relay;

/// <summary>
/// Writes the <c>ServerFrame{deliver}</c> of an envelope straight from its queue entry, byte for byte
/// what the protobuf serializer writes for the same frame (proto3: fields in number order, defaults
/// omitted), without building the frame's object graph (frame, Deliver, two ByteStrings and an id
/// array per relayed message). The vectors in the tests compare it with the serializer.
/// </summary>
internal static class DeliverEncoding
{
    private const byte DeliverTag = (2 << 3) | 2;      // ServerFrame.deliver = 2, length-delimited
    private const byte MessageIdTag = (1 << 3) | 2;    // Deliver.message_id = 1
    private const byte SenderTag = (2 << 3) | 2;       // Deliver.sender = 2
    private const byte TypeTag = 3 << 3;               // Deliver.type = 3, varint
    private const byte CiphertextTag = (4 << 3) | 2;   // Deliver.ciphertext = 4
    private const byte TimestampTag = 5 << 3;          // Deliver.server_timestamp_ms = 5, varint

    /// <summary>Whether the entry is sent with this encoder (envelopes; contact events go through the serializer).</summary>
    public static bool Applies(QueuedMessage message) => message.Kind == QueuedKind.Envelope;

    /// <summary>The encoded frame's length in bytes.</summary>
    public static int FrameSize(QueuedMessage message)
    {
        var body = BodySize(message, Encoding.UTF8.GetByteCount(message.SenderName));
        return 1 + VarintSize((ulong)body) + body;
    }

    /// <summary>Writes the frame into <paramref name="destination"/> (at least <see cref="FrameSize"/> bytes); returns its length.</summary>
    public static int Write(QueuedMessage message, Span<byte> destination)
    {
        var senderBytes = Encoding.UTF8.GetByteCount(message.SenderName);
        var body = BodySize(message, senderBytes);
        var at = 0;
        destination[at++] = DeliverTag;
        at += WriteVarint(destination[at..], (ulong)body);
        destination[at++] = MessageIdTag;
        destination[at++] = RelayLimits.MessageIdBytes;
        BinaryPrimitives.WriteUInt128BigEndian(destination.Slice(at, RelayLimits.MessageIdBytes), message.Id.Value);
        at += RelayLimits.MessageIdBytes;
        if (senderBytes > 0)
        {
            destination[at++] = SenderTag;
            at += WriteVarint(destination[at..], (ulong)senderBytes);
            at += Encoding.UTF8.GetBytes(message.SenderName, destination[at..]);
        }

        if (message.Subtype != 0)
        {
            destination[at++] = TypeTag;
            at += WriteVarint(destination[at..], (ulong)(long)message.Subtype); // int32 enums sign-extend
        }

        if (message.Body.Length > 0)
        {
            destination[at++] = CiphertextTag;
            at += WriteVarint(destination[at..], (ulong)message.Body.Length);
            message.Body.CopyTo(destination[at..]);
            at += message.Body.Length;
        }

        if (message.CreatedMs != 0)
        {
            destination[at++] = TimestampTag;
            at += WriteVarint(destination[at..], (ulong)message.CreatedMs);
        }

        return at;
    }

    private static int BodySize(QueuedMessage message, int senderBytes)
    {
        var size = 2 + RelayLimits.MessageIdBytes;
        size += senderBytes > 0 ? 1 + VarintSize((ulong)senderBytes) + senderBytes : 0;
        size += message.Subtype != 0 ? 1 + VarintSize((ulong)(long)message.Subtype) : 0;
        size += message.Body.Length > 0 ? 1 + VarintSize((ulong)message.Body.Length) + message.Body.Length : 0;
        size += message.CreatedMs != 0 ? 1 + VarintSize((ulong)message.CreatedMs) : 0;
        return size;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[at++] = (byte)value;
        return at;
    }
}
