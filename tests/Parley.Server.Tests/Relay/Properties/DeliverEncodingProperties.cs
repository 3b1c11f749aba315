using Google.Protobuf;
using Parley.Server.Relay;
using Parley.Wire;

namespace Parley.Server.Tests.Relay.Properties;

/// <summary>
/// The relay writes Deliver frames without the protobuf serializer (<see cref="DeliverEncoding"/>): its bytes
/// must be exactly the serializer's for every shape of entry, and parse back to the same fields.
/// </summary>
public sealed class DeliverEncodingProperties
{
    [Theory]
    [InlineData("bob", 2, 0, 1_700_000_000_000L)]
    [InlineData("b", 1, 1, 1L)]
    [InlineData("ünïcødé-名前", 3, 127, 0L)]
    [InlineData("alice", 0, 128, 1_700_000_000_000L)]
    [InlineData("", 2, 300, long.MaxValue)]
    [InlineData("carol", -1, 16_383, -5L)]
    [InlineData("dave", 2, 16_384, 127L)]
    [InlineData("erin", 2, 65_536, 128L)]
    public void A_deliver_frame_is_byte_for_byte_what_the_serializer_writes(string sender, int type, int bodyBytes, long createdMs)
    {
        var body = new byte[bodyBytes];
        Random.Shared.NextBytes(body);
        var message = new QueuedMessage(7, 9, sender, MessageId.NewRandom(), QueuedKind.Envelope, type, body, createdMs);
        var expected = new ServerFrame
        {
            Deliver = new Deliver
            {
                MessageId = ByteString.CopyFrom(message.Id.ToBytes()),
                Sender = sender,
                Type = (EnvelopeType)type,
                Ciphertext = ByteString.CopyFrom(body),
                ServerTimestampMs = createdMs,
            },
        }.ToByteArray();

        var size = DeliverEncoding.FrameSize(message);
        var buffer = new byte[size + 8];
        var written = DeliverEncoding.Write(message, buffer);

        Assert.Equal(expected.Length, size);
        Assert.Equal(size, written);
        Assert.Equal(expected, buffer[..written]);
        var parsed = ServerFrame.Parser.ParseFrom(buffer, 0, written).Deliver;
        Assert.Equal(message.Id.ToBytes(), parsed.MessageId.ToByteArray());
        Assert.Equal(sender, parsed.Sender);
        Assert.Equal(body, parsed.Ciphertext.ToByteArray());
        Assert.Equal(createdMs, parsed.ServerTimestampMs);
    }

    [Fact]
    public void Contact_events_are_left_to_the_serializer() =>
        Assert.False(DeliverEncoding.Applies(new QueuedMessage(1, 2, "a", MessageId.NewRandom(), QueuedKind.ContactEvent, 1, [], 5)));
}
