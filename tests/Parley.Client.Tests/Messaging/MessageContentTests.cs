using System.Text;
using Parley.Client.Messaging;

namespace Parley.Client.Tests.Messaging;

public sealed class MessageContentTests
{
    [Fact]
    public void Text_receipt_and_typing_round_trip()
    {
        var id = MessageId.New().ToString();
        foreach (var content in new[]
        {
            new MessageContent { Kind = MessageContent.TextKind, Id = id, SentAtMs = 42, Text = "héllo 👋" },
            new MessageContent { Kind = MessageContent.ReceiptKind, Id = id, Receipt = "read", Ids = [MessageId.New().ToString()] },
            new MessageContent { Kind = MessageContent.TypingKind, Id = id, Typing = true },
        })
        {
            Assert.True(MessageContent.TryParse(content.ToBytes(), out var back));
            Assert.Equal(content.Kind, back!.Kind);
            Assert.Equal(content.Text, back.Text);
            Assert.Equal(content.Typing, back.Typing);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"k\":\"text\",\"id\":\"not-an-id\",\"text\":\"x\"}")]
    [InlineData("{\"k\":\"text\",\"id\":\"0123456789abcdef0123456789abcdef\"}")]
    [InlineData("{\"k\":\"shout\",\"id\":\"0123456789abcdef0123456789abcdef\"}")]
    [InlineData("{\"k\":\"receipt\",\"id\":\"0123456789abcdef0123456789abcdef\",\"r\":\"seen\",\"ids\":[\"a\"]}")]
    [InlineData("{\"k\":\"receipt\",\"id\":\"0123456789abcdef0123456789abcdef\",\"r\":\"read\",\"ids\":[]}")]
    [InlineData("{\"k\":\"text\",\"id\":\"0123456789abcdef0123456789abcdef\",\"text\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{}}}}}}}}}}")]
    public void Hostile_or_malformed_contents_are_refused_without_exceptions(string json)
    {
        Assert.False(MessageContent.TryParse(Encoding.UTF8.GetBytes(json), out _));
    }

    [Fact]
    public void A_receipt_at_the_id_limit_parses_and_one_more_does_not()
    {
        var id = MessageId.New().ToString();
        var atLimit = new MessageContent { Kind = MessageContent.ReceiptKind, Id = id, Receipt = "delivered", Ids = Enumerable.Repeat(id, MessageContent.MaxReceiptIds).ToList() };
        var over = new MessageContent { Kind = MessageContent.ReceiptKind, Id = id, Receipt = "delivered", Ids = Enumerable.Repeat(id, MessageContent.MaxReceiptIds + 1).ToList() };
        Assert.True(MessageContent.TryParse(atLimit.ToBytes(), out _));
        Assert.False(MessageContent.TryParse(over.ToBytes(), out _));
    }

    [Fact]
    public void Message_ids_round_trip_through_their_wire_bytes_and_text()
    {
        var id = MessageId.New();
        Assert.True(MessageId.TryFromBytes(id.ToBytes(), out var back));
        Assert.Equal(id, back);
        Assert.Equal(Convert.ToHexStringLower(id.ToBytes()), id.ToString());
        Assert.False(MessageId.TryFromBytes(new byte[15], out _));
    }

    [Fact]
    public void A_call_signal_rides_inside_the_content_as_the_object_call_and_comes_back_equal()
    {
        var id = MessageId.New();
        var signal = new Parley.Client.Calls.CallHangup(Parley.Client.Calls.CallId.New(), Parley.Client.Calls.HangupReason.NoAnswer);
        var bytes = MessageContent.ForCall(id, 7, signal).ToBytes();

        Assert.Contains("\"k\":\"call\",", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.True(MessageContent.TryParse(bytes, out var back));
        Assert.True(back!.TryGetCallSignal(out var carried));
        Assert.Equal(Parley.Client.Calls.CallSignalCodec.Write(signal), Parley.Client.Calls.CallSignalCodec.Write(carried));
    }

    [Theory]
    [InlineData("{\"k\":\"call\",\"id\":\"0123456789abcdef0123456789abcdef\"}")]
    [InlineData("{\"k\":\"call\",\"id\":\"0123456789abcdef0123456789abcdef\",\"call\":\"{}\"}")]
    [InlineData("{\"k\":\"call\",\"id\":\"0123456789abcdef0123456789abcdef\",\"call\":{\"v\":2,\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeeff\"}}")]
    [InlineData("{\"k\":\"call\",\"id\":\"0123456789abcdef0123456789abcdef\",\"call\":{\"v\":1,\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeeff\",\"call\":\"00112233445566778899aabbccddeeff\"}}")]
    public void A_call_content_without_a_valid_signal_is_refused(string json)
    {
        Assert.False(MessageContent.TryParse(Encoding.UTF8.GetBytes(json), out _));
    }
}
