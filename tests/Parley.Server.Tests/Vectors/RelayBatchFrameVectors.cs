using Google.Protobuf;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Server.Tests.Vectors;

/// <summary>The byte-exact examples of docs/PROTOCOL.md 10.7, encoded with the generated Wire types.</summary>
public sealed class RelayBatchFrameVectors
{
    private static readonly byte[] X = Id(1);
    private static readonly byte[] Y = Id(2);

    [Fact]
    public void Capabilities_frame_is_2a_02_08_01() =>
        Assert.Equal(Convert.FromHexString("2a020801"),
            new ClientFrame { Capabilities = new Capabilities { SendResultBatch = true } }.ToByteArray());

    [Fact]
    public void Ack_batch_of_two_ids_is_field_6_with_the_ids_concatenated()
    {
        var frame = new ClientFrame { AckBatch = new AckBatch { MessageIds = ByteString.CopyFrom([.. X, .. Y]) } };
        Assert.Equal([0x32, 0x22, 0x0a, 0x20, .. X, .. Y], frame.ToByteArray());
    }

    [Fact]
    public void Send_result_batch_packs_accepted_ids_and_carries_other_statuses_in_full()
    {
        var frame = new ServerFrame
        {
            SendResultBatch = new SendResultBatch
            {
                AcceptedIds = ByteString.CopyFrom(X),
                Others = { new SendResult { MessageId = ByteString.CopyFrom(Y), Status = SendStatus.DuplicateAccepted } },
            },
        };
        Assert.Equal([0x42, 0x28, 0x0a, 0x10, .. X, 0x12, 0x14, 0x0a, 0x10, .. Y, 0x10, 0x02], frame.ToByteArray());
    }

    [Fact]
    public void Packed_id_lists_are_checked_at_the_cap_and_one_past_it()
    {
        Assert.True(MessageIdList.IsValid(new byte[MessageIdList.MaxIds * MessageIdList.IdBytes]));
        Assert.False(MessageIdList.IsValid(new byte[(MessageIdList.MaxIds + 1) * MessageIdList.IdBytes]));
        Assert.False(MessageIdList.IsValid(new byte[MessageIdList.IdBytes + 1]));
        Assert.False(MessageIdList.IsValid([]));
        Assert.True(MessageIdList.IsValid([], allowEmpty: true));
        Assert.Equal(Y, MessageIdList.At([.. X, .. Y], 1).ToArray());
    }

    private static byte[] Id(byte last)
    {
        var id = new byte[MessageIdList.IdBytes];
        id[^1] = last;
        return id;
    }
}
