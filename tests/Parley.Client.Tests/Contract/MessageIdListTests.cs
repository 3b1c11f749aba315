using Google.Protobuf;
using Parley.Wire.Relay;

namespace Parley.Client.Tests.Contract;

/// <summary>The packed id list of AckBatch and SendResultBatch, as the client builds it.</summary>
public sealed class MessageIdListTests
{
    private static ByteString Id(byte fill) => ByteString.CopyFrom(Enumerable.Repeat(fill, MessageIdList.IdBytes).ToArray());

    [Fact]
    public void Pack_keeps_the_order_and_reads_back_with_At()
    {
        var ids = new[] { Id(1), Id(2), Id(3) };
        var packed = MessageIdList.Pack(ids).Span;
        Assert.True(MessageIdList.IsValid(packed));
        Assert.Equal(3, MessageIdList.Count(packed));
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True(ids[i].Span.SequenceEqual(MessageIdList.At(packed, i)));
        }
    }

    [Fact]
    public void Pack_refuses_a_wrong_length_no_ids_and_more_than_the_cap()
    {
        Assert.Throws<ArgumentException>(() => MessageIdList.Pack([Id(1), ByteString.CopyFrom(new byte[MessageIdList.IdBytes - 1])]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageIdList.Pack([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageIdList.Pack(Enumerable.Repeat(Id(7), MessageIdList.MaxIds + 1).ToList()));
        Assert.Equal(MessageIdList.MaxIds, MessageIdList.Count(MessageIdList.Pack(Enumerable.Repeat(Id(7), MessageIdList.MaxIds).ToList()).Span));
    }
}
