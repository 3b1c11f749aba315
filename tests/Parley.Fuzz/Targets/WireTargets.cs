using Google.Protobuf;
using Parley.Crypto.Tests.Infrastructure;
using Parley.Wire;

namespace Parley.Fuzz.Targets;

/// <summary>
/// Relay frames (docs/PROTOCOL.md section 10) as both ends parse them: the client parses
/// <see cref="ServerFrame"/> (RelayConnection) and the server <see cref="ClientFrame"/> (RelaySession);
/// both catch <see cref="InvalidProtocolBufferException"/> and nothing else. After a successful parse
/// the fields the receiver reads are touched, so lazily decoded content is decoded too.
/// </summary>
internal static class WireTargets
{
    public static IEnumerable<FuzzTarget> All()
    {
        var ciphertexts = Decoders.All["SessionDecrypt"].Valid;
        var id = ByteString.CopyFrom(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());
        yield return new FuzzTarget("Wire.ServerFrame", ParseServerFrame,
        [
            .. ciphertexts.Select(c => new ServerFrame { Deliver = new Deliver { MessageId = id, Sender = "alice", Type = EnvelopeType.PrekeyMessage, Ciphertext = ByteString.CopyFrom(c), ServerTimestampMs = 1_700_000_000_000 } }.ToByteArray()),
            new ServerFrame { SendResult = new SendResult { MessageId = id, Status = SendStatus.RateLimited, RetryAfterMs = 500 } }.ToByteArray(),
            new ServerFrame { ContactEvent = new ContactEvent { MessageId = id, Kind = ContactEventKind.Request, From = "mallory", Note = "hi", ServerTimestampMs = 1 } }.ToByteArray(),
            new ServerFrame { Presence = new Presence { Username = "bob", Online = true } }.ToByteArray(),
            new ServerFrame { QueueEmpty = new QueueEmpty() }.ToByteArray(),
            new ServerFrame { Pong = new Pong { Nonce = ulong.MaxValue } }.ToByteArray(),
        ]);
        yield return new FuzzTarget("Wire.ClientFrame", ParseClientFrame,
        [
            .. ciphertexts.Select(c => new ClientFrame { Send = new Send { MessageId = id, Recipient = "bob", Type = EnvelopeType.RatchetMessage, Ciphertext = ByteString.CopyFrom(c) } }.ToByteArray()),
            new ClientFrame { Ack = new Ack { MessageId = id, Sender = "alice" } }.ToByteArray(),
            new ClientFrame { PresenceQuery = new PresenceQuery { Usernames = { "alice", "bob" } } }.ToByteArray(),
            new ClientFrame { Ping = new Ping { Nonce = 7 } }.ToByteArray(),
        ]);
    }

    private static void ParseServerFrame(ReadOnlySpan<byte> input)
    {
        ServerFrame frame;
        try
        {
            frame = ServerFrame.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            return;
        }

        _ = frame.KindCase switch
        {
            ServerFrame.KindOneofCase.Deliver => frame.Deliver.Sender.Length + frame.Deliver.Ciphertext.Length + frame.Deliver.MessageId.Length,
            ServerFrame.KindOneofCase.ContactEvent => frame.ContactEvent.From.Length + frame.ContactEvent.Note.Length,
            ServerFrame.KindOneofCase.Presence => frame.Presence.Username.Length,
            ServerFrame.KindOneofCase.SendResult => frame.SendResult.MessageId.Length,
            _ => frame.CalculateSize(),
        };
    }

    private static void ParseClientFrame(ReadOnlySpan<byte> input)
    {
        ClientFrame frame;
        try
        {
            frame = ClientFrame.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            return;
        }

        _ = frame.KindCase switch
        {
            ClientFrame.KindOneofCase.Send => frame.Send.Recipient.Length + frame.Send.Ciphertext.Length,
            ClientFrame.KindOneofCase.PresenceQuery => frame.PresenceQuery.Usernames.Sum(u => u.Length),
            _ => frame.CalculateSize(),
        };
    }
}
