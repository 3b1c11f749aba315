using System.Text.Json.Serialization;
using Parley.Client.Calls;

namespace Parley.Client.Messaging;

/// <summary>A message id, chosen by the sender so that retries are idempotent end to end.</summary>
/// <param name="Value">The random 128-bit id.</param>
public readonly record struct MessageId(Guid Value)
{
    /// <summary>A fresh random id.</summary>
    /// <returns>The id.</returns>
    public static MessageId New() => new(Guid.NewGuid());

    /// <summary>Parses the 32-hex-digit form.</summary>
    /// <param name="text">The text.</param>
    /// <param name="id">The id when the result is true.</param>
    /// <returns>Whether the text was a message id.</returns>
    public static bool TryParse(string? text, out MessageId id)
    {
        var ok = Guid.TryParseExact(text, "N", out var guid);
        id = new MessageId(guid);
        return ok;
    }

    /// <summary>The 16 bytes sent on the wire (big-endian GUID layout, so the hex form matches).</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToBytes() => Value.ToByteArray(bigEndian: true);

    /// <summary>Reads an id from the wire.</summary>
    /// <param name="bytes">Exactly 16 bytes.</param>
    /// <param name="id">The id when the result is true.</param>
    /// <returns>Whether the length was right.</returns>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out MessageId id)
    {
        id = default;
        if (bytes.Length != 16)
        {
            return false;
        }

        id = new MessageId(new Guid(bytes, bigEndian: true));
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}

/// <summary>Which way a message went.</summary>
public enum MessageDirection
{
    /// <summary>Received from the peer.</summary>
    Incoming = 1,

    /// <summary>Sent by us.</summary>
    Outgoing = 2,
}

/// <summary>How far a message got; states only move forward.</summary>
public enum DeliveryState
{
    /// <summary>Outgoing, stored locally, not yet acknowledged by the server.</summary>
    Pending = 0,

    /// <summary>Outgoing, acknowledged (durably stored) by the server.</summary>
    Sent = 1,

    /// <summary>Incoming and stored, or outgoing and confirmed delivered by the peer's receipt.</summary>
    Delivered = 2,

    /// <summary>Shown to the user (incoming), or the peer's read receipt arrived (outgoing).</summary>
    Read = 3,
}

/// <summary>A message as the local store keeps it.</summary>
public sealed class StoredMessage
{
    /// <summary>The message id.</summary>
    public required MessageId Id { get; init; }

    /// <summary>The other party.</summary>
    public required string Peer { get; init; }

    /// <summary>Incoming or outgoing.</summary>
    public required MessageDirection Direction { get; init; }

    /// <summary>Delivery state.</summary>
    public DeliveryState State { get; set; }

    /// <summary>The plaintext.</summary>
    public required string Text { get; init; }

    /// <summary>When the sender wrote it (sender's clock).</summary>
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>
    /// True for a message that arrived under a changed identity key and was held until the user
    /// trusted the key: it is stored late, so history places it by <see cref="SentAt"/> instead.
    /// </summary>
    public bool Released { get; init; }

    /// <summary>
    /// For a call in the conversation's history (then <see cref="Text"/> is its one-line
    /// description): the record; null for messages.
    /// </summary>
    public CallRecord? Call { get; init; }

    /// <summary>The history entry of a finished call: its id is derived from the call's (never a message's).</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry to store.</returns>
    public static StoredMessage ForCall(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var outgoing = record.Kind == CallRecordKind.Outgoing;
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes("parley call record " + record.CallId), digest);
        return new StoredMessage
        {
            Id = new MessageId(new Guid(digest[..16], bigEndian: true)),
            Peer = record.Peer,
            Direction = outgoing ? MessageDirection.Outgoing : MessageDirection.Incoming,
            State = DeliveryState.Delivered,
            Text = record.Describe(),
            SentAt = record.StartedAt,
            Call = record,
        };
    }
}

/// <summary>The sealed part of a stored message.</summary>
internal sealed class MessageBody
{
    public required string Peer { get; init; }

    public required string Text { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    public bool Released { get; init; }

    public CallBody? Call { get; init; }
}

/// <summary>The sealed form of a <see cref="CallRecord"/> (names, not enum numbers, so reordering an enum cannot corrupt history).</summary>
internal sealed class CallBody
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public required string Media { get; init; }

    public required string Reason { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? ConnectedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public static CallBody From(CallRecord r) => new()
    {
        Id = r.CallId.ToString(), Kind = r.Kind.ToString(), Media = r.Media.ToString(), Reason = r.EndReason.ToString(),
        StartedAt = r.StartedAt, ConnectedAt = r.ConnectedAt, EndedAt = r.EndedAt,
    };

    public CallRecord? ToRecord(string peer) =>
        CallId.TryParse(Id, out var id) && Enum.TryParse<CallRecordKind>(Kind, out var kind) && Enum.TryParse<CallMedia>(Media, out var media)
            && Enum.TryParse<CallEndReason>(Reason, out var reason)
            ? new CallRecord(id, peer, kind, media, reason, StartedAt, ConnectedAt, EndedAt)
            : null;
}

/// <summary>Source-generated JSON metadata for sealed message bodies.</summary>
[JsonSerializable(typeof(MessageBody))]
internal sealed partial class MessageJsonContext : JsonSerializerContext;
