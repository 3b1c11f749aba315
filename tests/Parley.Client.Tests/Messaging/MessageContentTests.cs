using CsCheck;
using Google.Protobuf;
using Parley.Client.Calls;
using Parley.Client.Messaging;
using Parley.Client.Transfers;
using Proto = Parley.Client.Messaging.Proto;

namespace Parley.Client.Tests.Messaging;

/// <summary>The typed protobuf <c>Content</c> inside the encryption and its padding (docs/PROTOCOL.md 10C).</summary>
public sealed class MessageContentTests
{
    [Fact]
    public void Text_receipt_typing_and_end_round_trip()
    {
        var id = MessageId.New();
        var acknowledged = MessageId.New();
        foreach (var content in new[]
        {
            new MessageContent { Kind = ContentKind.Text, Id = id, SentAtMs = 42, Text = "héllo 👋" },
            new MessageContent { Kind = ContentKind.Receipt, Id = id, Receipt = ReceiptKind.Read, Ids = [acknowledged] },
            new MessageContent { Kind = ContentKind.Receipt, Id = id, Receipt = ReceiptKind.Delivered, Ids = [acknowledged, id] },
            new MessageContent { Kind = ContentKind.Typing, Id = id, Typing = true },
            new MessageContent { Kind = ContentKind.EndSession, Id = id },
        })
        {
            Assert.True(MessageContent.TryParse(content.ToBytes(), out var back));
            Assert.Equal((content.Kind, content.Id, content.SentAtMs, content.Text, content.Typing), (back.Kind, back.Id, back.SentAtMs, back.Text, back.Typing));
            Assert.Equal(content.Receipt, back.Receipt);
            Assert.Equal(content.Ids, back.Ids);
        }
    }

    [Fact]
    public void A_file_pointer_travels_as_typed_fields_not_as_message_text()
    {
        using var file = new FilePointer(new string('a', 32), Enumerable.Repeat((byte)7, 32).ToArray(), 123_456, new byte[32], 64 * 1024, 1, "report.pdf", "application/pdf");
        var bytes = new MessageContent { Kind = ContentKind.File, Id = MessageId.New(), File = file }.ToBytes();

        Assert.True(MessageContent.TryParse(bytes, out var back));
        using var received = back.File!;
        Assert.Equal(ContentKind.File, back.Kind);
        Assert.Null(back.Text);
        Assert.Equal((file.BlobId, file.Size, file.ChunkSize, file.Suite, file.Name, file.ContentType),
            (received.BlobId, received.Size, received.ChunkSize, received.Suite, received.Name, received.ContentType));
        Assert.Equal(FileMessageText.Format(file), FileMessageText.Format(received)); // the same key and digest
    }

    [Fact]
    public void A_call_signal_rides_as_the_typed_call_body_and_comes_back_equal()
    {
        var signal = new CallHangup(CallId.New(), HangupReason.NoAnswer);
        var bytes = MessageContent.ForCall(MessageId.New(), 7, signal).ToBytes();

        Assert.True(MessageContent.TryParse(bytes, out var back));
        Assert.Equal(ContentKind.Call, back.Kind);
        Assert.Equal(CallSignalCodec.Write(signal), CallSignalCodec.Write(back.Call!));
    }

    [Theory]
    [InlineData(0, 160)]
    [InlineData(159, 160)]
    [InlineData(160, 320)]
    [InlineData(319, 320)]
    [InlineData(320, 480)]
    public void Contents_are_padded_to_multiples_of_160_bytes(int serialized, int expected)
    {
        var padded = ContentPadding.Pad(Enumerable.Repeat((byte)1, serialized).ToArray());
        Assert.Equal(expected, padded.Length);
        Assert.True(ContentPadding.TryUnpad(padded, out var back));
        Assert.Equal(serialized, back.Length);

        var text = new string('x', serialized);
        var content = new MessageContent { Kind = ContentKind.Text, Id = MessageId.New(), Text = text }.ToBytes();
        Assert.Equal(0, content.Length % ContentPadding.BlockBytes);
        Assert.True(MessageContent.TryParse(content, out var parsed));
        Assert.Equal(text, parsed.Text);
    }

    [Fact]
    public void The_padding_is_checked_exactly()
    {
        var good = new MessageContent { Kind = ContentKind.Typing, Id = MessageId.New(), Typing = true }.ToBytes();
        Assert.True(ContentPadding.TryUnpad(good, out _));
        Assert.False(ContentPadding.TryUnpad(good.AsSpan()[..^1], out _)); // not a multiple of 160
        Assert.False(ContentPadding.TryUnpad(new byte[160], out _)); // no marker
        var noMarker = (byte[])good.Clone();
        noMarker[Array.LastIndexOf(noMarker, (byte)0x80)] = 0x81;
        Assert.False(ContentPadding.TryUnpad(noMarker, out _));
        var tooMuch = new byte[320];
        tooMuch[0] = 0x80; // 319 bytes of padding: more than one block
        Assert.False(ContentPadding.TryUnpad(tooMuch, out _));
        Assert.False(ContentPadding.TryUnpad([], out _));
    }

    [Fact]
    public void The_size_limit_holds_at_the_limit_and_one_past_it()
    {
        Assert.Equal(ContentPadding.MaxPaddedBytes, ContentPadding.Pad(new byte[ContentPadding.MaxContentBytes]).Length);
        Assert.Throws<ArgumentException>(() => ContentPadding.Pad(new byte[ContentPadding.MaxContentBytes + 1]));
        var over = new byte[ContentPadding.MaxPaddedBytes + ContentPadding.BlockBytes];
        over[0] = 0x80;
        Assert.False(ContentPadding.TryUnpad(over, out _));

        var id = MessageId.New();
        var fits = new MessageContent { Kind = ContentKind.Text, Id = id, Text = new string('x', ContentPadding.MaxContentBytes - 30) };
        var tooLong = new MessageContent { Kind = ContentKind.Text, Id = id, Text = new string('x', ContentPadding.MaxContentBytes) };
        Assert.True(fits.FitsInOneMessage());
        Assert.False(tooLong.FitsInOneMessage());
        Assert.Throws<ArgumentException>(() => tooLong.ToBytes());
    }

    public static TheoryData<string> Hostile() => new()
    {
        { "no body" }, { "unknown body" }, { "short id" }, { "empty receipt" }, { "receipt with a short id" }, { "receipt without kind" },
        { "too many receipt ids" }, { "file with a short key" }, { "file with a bad blob id" }, { "file with a bad suite" }, { "call without signal" },
        { "call with bad sdp" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_or_malformed_contents_are_refused_without_exceptions(string which)
    {
        var id = ByteString.CopyFrom(MessageId.New().ToBytes());
        var content = new Proto.Content { MessageId = id };
        var goodFile = new Proto.File { BlobId = new string('b', 32), Key = ByteString.CopyFrom(new byte[32]), CiphertextSha256 = ByteString.CopyFrom(new byte[32]), ChunkSize = 65536, Suite = 1 };
        switch (which)
        {
            case "unknown body": content = Proto.Content.Parser.ParseFrom([.. content.ToByteArray(), 0x4A, 0x00]); break; // field 9, empty
            case "short id": content.MessageId = ByteString.CopyFrom(new byte[15]); content.Text = new Proto.Text { Body = "x" }; break;
            case "empty receipt": content.Receipt = new Proto.Receipt { Kind = Proto.Receipt.Types.Kind.Read }; break;
            case "receipt with a short id": content.Receipt = new Proto.Receipt { Kind = Proto.Receipt.Types.Kind.Read, MessageIds = { ByteString.CopyFrom(new byte[3]) } }; break;
            case "receipt without kind": content.Receipt = new Proto.Receipt { MessageIds = { id } }; break;
            case "too many receipt ids": content.Receipt = new Proto.Receipt { Kind = Proto.Receipt.Types.Kind.Delivered, MessageIds = { Enumerable.Repeat(id, MessageContent.MaxReceiptIds + 1) } }; break;
            case "file with a short key": goodFile.Key = ByteString.CopyFrom(new byte[31]); content.File = goodFile; break;
            case "file with a bad blob id": goodFile.BlobId = "../../etc/passwd"; content.File = goodFile; break;
            case "file with a bad suite": goodFile.Suite = 9; content.File = goodFile; break;
            case "call without signal": content.Call = new Proto.Call { CallId = ByteString.CopyFrom(new byte[16]) }; break;
            case "call with bad sdp": content.Call = new Proto.Call { CallId = ByteString.CopyFrom(new byte[16]), Accept = new Proto.Call.Types.Description { Sdp = "x", Fingerprint = "y" } }; break;
        }
        Assert.False(MessageContent.TryParse(ContentPadding.Pad(content.ToByteArray()), out _));
    }

    [Fact]
    public void A_receipt_at_the_id_limit_parses_and_one_more_does_not()
    {
        var id = MessageId.New();
        var atLimit = new MessageContent { Kind = ContentKind.Receipt, Id = id, Ids = Enumerable.Repeat(id, MessageContent.MaxReceiptIds).ToList() };
        var over = new MessageContent { Kind = ContentKind.Receipt, Id = id, Ids = Enumerable.Repeat(id, MessageContent.MaxReceiptIds + 1).ToList() };
        Assert.True(MessageContent.TryParse(atLimit.ToBytes(), out _));
        Assert.False(MessageContent.TryParse(over.ToBytes(), out _));
    }

    [Fact]
    public void Random_and_mutated_bytes_never_throw()
    {
        var valid = new MessageContent { Kind = ContentKind.Text, Id = MessageId.New(), Text = "hello" }.ToBytes();
        Gen.Select(Gen.Int[0, 159], Gen.Byte).Sample((at, value) =>
        {
            var bytes = (byte[])valid.Clone();
            bytes[at] = value;
            _ = MessageContent.TryParse(bytes, out _);
        }, iter: 5_000);
        Gen.Byte.Array[0, 480].Sample(bytes => { _ = MessageContent.TryParse(bytes, out _); }, iter: 5_000);
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
}
