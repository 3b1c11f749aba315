using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Parley.Client.Calls;
using Parley.Client.Transfers;
using Proto = Parley.Client.Messaging.Proto;

namespace Parley.Client.Messaging;

/// <summary>What one <see cref="MessageContent"/> carries (the <c>body</c> case of the protobuf <c>Content</c>).</summary>
public enum ContentKind
{
    /// <summary>A text message.</summary>
    Text,

    /// <summary>A delivery or read receipt.</summary>
    Receipt,

    /// <summary>A typing notice.</summary>
    Typing,

    /// <summary>The last message of a session (<c>parley disconnect</c>): the receiver forgets the session.</summary>
    EndSession,

    /// <summary>A shared file's pointer.</summary>
    File,

    /// <summary>A call signal.</summary>
    Call,
}

/// <summary>Which receipt.</summary>
public enum ReceiptKind
{
    /// <summary>Stored on the recipient's device.</summary>
    Delivered,

    /// <summary>Shown to the recipient.</summary>
    Read,
}

/// <summary>
/// What travels inside the end-to-end encryption: one typed protobuf <c>Content</c>
/// (Messaging/Protos/content.proto, docs/PROTOCOL.md 10C), padded by <see cref="ContentPadding"/>.
/// The sender's message id is repeated inside, so the server cannot relabel a ciphertext under
/// another id to defeat de-duplication. Parsing checks every field: a content that parses is one the
/// client can act on. A file content holds a <see cref="FilePointer"/> (a secret) that its creator disposes.
/// </summary>
public sealed class MessageContent
{
    /// <summary>The most message ids one receipt may list.</summary>
    public const int MaxReceiptIds = 500;

    /// <summary>What this content is.</summary>
    public required ContentKind Kind { get; init; }

    /// <summary>The id of this message.</summary>
    public required MessageId Id { get; init; }

    /// <summary>The sender's clock, Unix milliseconds.</summary>
    public long SentAtMs { get; init; }

    /// <summary>The text of a text message.</summary>
    public string? Text { get; init; }

    /// <summary>For receipts: which one.</summary>
    public ReceiptKind Receipt { get; init; }

    /// <summary>For receipts: the acknowledged message ids.</summary>
    public IReadOnlyList<MessageId>? Ids { get; init; }

    /// <summary>For typing notices: whether the sender is typing now.</summary>
    public bool Typing { get; init; }

    /// <summary>For file messages: the pointer.</summary>
    public FilePointer? File { get; init; }

    /// <summary>For call signals: the signal, checked field by field.</summary>
    public CallSignal? Call { get; init; }

    /// <summary>A call-signal content carrying <paramref name="signal"/>.</summary>
    public static MessageContent ForCall(MessageId id, long sentAtMs, CallSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return new MessageContent { Kind = ContentKind.Call, Id = id, SentAtMs = sentAtMs, Call = signal };
    }

    /// <summary>Whether this content, serialized, is within <see cref="ContentPadding.MaxContentBytes"/> (what <see cref="ToBytes"/> needs).</summary>
    public bool FitsInOneMessage() => ToProto().CalculateSize() <= ContentPadding.MaxContentBytes;

    /// <summary>The padded protobuf bytes that are encrypted.</summary>
    /// <exception cref="ArgumentException">The content is over <see cref="ContentPadding.MaxContentBytes"/>, or lacks its body.</exception>
    public byte[] ToBytes()
    {
        var bytes = ToProto().ToByteArray();
        try
        {
            return ContentPadding.Pad(bytes);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes); // a file key may be in there
        }
    }

    private Proto.Content ToProto()
    {
        var proto = new Proto.Content { MessageId = ByteString.CopyFrom(Id.ToBytes()), SentAtMs = (ulong)Math.Max(0, SentAtMs) };
        switch (Kind)
        {
            case ContentKind.Text:
                proto.Text = new Proto.Text { Body = Text ?? throw new ArgumentException("A text content needs its text.") };
                break;
            case ContentKind.Receipt:
                proto.Receipt = new Proto.Receipt { Kind = Receipt == ReceiptKind.Read ? Proto.Receipt.Types.Kind.Read : Proto.Receipt.Types.Kind.Delivered };
                proto.Receipt.MessageIds.AddRange((Ids ?? throw new ArgumentException("A receipt needs its ids.")).Select(i => ByteString.CopyFrom(i.ToBytes())));
                break;
            case ContentKind.Typing:
                proto.Typing = new Proto.Typing { Typing_ = Typing };
                break;
            case ContentKind.EndSession:
                proto.EndSession = new Proto.EndSession();
                break;
            case ContentKind.File:
                proto.File = FileContent.ToProto(File ?? throw new ArgumentException("A file content needs its pointer."));
                break;
            case ContentKind.Call:
                proto.Call = CallSignalCodec.ToProto(Call ?? throw new ArgumentException("A call content needs its signal."));
                break;
        }
        return proto;
    }

    /// <summary>Parses a decrypted, padded plaintext; hostile input gives false, never an exception.</summary>
    /// <param name="bytes">The plaintext.</param>
    /// <param name="content">The content when the result is true; the caller disposes its <see cref="File"/>.</param>
    /// <returns>Whether the bytes were a well-formed content of a known kind.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out MessageContent? content)
    {
        content = null;
        if (!ContentPadding.TryUnpad(bytes, out var unpadded))
        {
            return false;
        }
        Proto.Content proto;
        try
        {
            proto = Proto.Content.Parser.ParseFrom(unpadded);
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
        if (!MessageId.TryFromBytes(proto.MessageId.Span, out var id) || proto.SentAtMs > long.MaxValue)
        {
            return false;
        }
        var sentAt = (long)proto.SentAtMs;
        content = proto.BodyCase switch
        {
            Proto.Content.BodyOneofCase.Text => new MessageContent { Kind = ContentKind.Text, Id = id, SentAtMs = sentAt, Text = proto.Text.Body },
            Proto.Content.BodyOneofCase.Receipt => ReadReceipt(proto.Receipt, id, sentAt),
            Proto.Content.BodyOneofCase.Typing => new MessageContent { Kind = ContentKind.Typing, Id = id, SentAtMs = sentAt, Typing = proto.Typing.Typing_ },
            Proto.Content.BodyOneofCase.EndSession => new MessageContent { Kind = ContentKind.EndSession, Id = id, SentAtMs = sentAt },
            Proto.Content.BodyOneofCase.File => FileContent.TryFromProto(proto.File, out var file)
                ? new MessageContent { Kind = ContentKind.File, Id = id, SentAtMs = sentAt, File = file } : null,
            Proto.Content.BodyOneofCase.Call => CallSignalCodec.TryFromProto(proto.Call, out var signal, out _)
                ? ForCall(id, sentAt, signal) : null,
            _ => null,
        };
        return content is not null;
    }

    private static MessageContent? ReadReceipt(Proto.Receipt receipt, MessageId id, long sentAt)
    {
        if (receipt.Kind is not (Proto.Receipt.Types.Kind.Delivered or Proto.Receipt.Types.Kind.Read)
            || receipt.MessageIds.Count is 0 or > MaxReceiptIds)
        {
            return null;
        }
        var ids = new List<MessageId>(receipt.MessageIds.Count);
        foreach (var raw in receipt.MessageIds)
        {
            if (!MessageId.TryFromBytes(raw.Span, out var acknowledged))
            {
                return null;
            }
            ids.Add(acknowledged);
        }
        var kind = receipt.Kind == Proto.Receipt.Types.Kind.Read ? ReceiptKind.Read : ReceiptKind.Delivered;
        return new MessageContent { Kind = ContentKind.Receipt, Id = id, SentAtMs = sentAt, Receipt = kind, Ids = ids };
    }
}
