using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Client.Calls;

namespace Parley.Client.Messaging;

/// <summary>
/// What travels inside the end-to-end encryption: a text message, a receipt, a typing notice or a
/// call signal (docs/PROTOCOL.md 10B.2, carried as the object <c>call</c>).
/// UTF-8 JSON (docs/PROTOCOL.md, client section). The sender's message id is repeated inside, so the
/// server cannot relabel a ciphertext under another id to defeat de-duplication.
/// </summary>
public sealed class MessageContent
{
    /// <summary>Kind of a text message.</summary>
    public const string TextKind = "text";

    /// <summary>Kind of a delivery/read receipt.</summary>
    public const string ReceiptKind = "receipt";

    /// <summary>Kind of a typing notice.</summary>
    public const string TypingKind = "typing";

    /// <summary>Kind of the last message of a session (<c>parley disconnect</c>): the receiver forgets the session.</summary>
    public const string EndSessionKind = "end";

    /// <summary>Kind of a call signal.</summary>
    public const string CallKind = "call";

    /// <summary>The most message ids one receipt may list.</summary>
    public const int MaxReceiptIds = 500;

    /// <summary>One of the kind constants.</summary>
    [JsonPropertyName("k")]
    public required string Kind { get; init; }

    /// <summary>The id of this message (32 hex digits).</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The sender's clock, Unix milliseconds.</summary>
    [JsonPropertyName("ts")]
    public long SentAtMs { get; init; }

    /// <summary>The text of a text message.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>For receipts: <c>delivered</c> or <c>read</c>.</summary>
    [JsonPropertyName("r")]
    public string? Receipt { get; init; }

    /// <summary>For receipts: the acknowledged message ids.</summary>
    [JsonPropertyName("ids")]
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>For typing notices: whether the sender is typing now.</summary>
    [JsonPropertyName("on")]
    public bool Typing { get; init; }

    /// <summary>For call signals: the signal object (checked by <see cref="CallSignalCodec"/>).</summary>
    [JsonPropertyName("call")]
    public JsonElement? Call { get; init; }

    /// <summary>A call-signal content carrying <paramref name="signal"/>.</summary>
    /// <param name="id">The message id.</param>
    /// <param name="sentAtMs">The sender's clock, Unix milliseconds.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The content.</returns>
    public static MessageContent ForCall(MessageId id, long sentAtMs, CallSignal signal)
    {
        using var document = JsonDocument.Parse(CallSignalCodec.Write(signal));
        return new MessageContent { Kind = CallKind, Id = id.ToString(), SentAtMs = sentAtMs, Call = document.RootElement.Clone() };
    }

    /// <summary>The call signal of a <see cref="CallKind"/> content, checked field by field; false for anything else.</summary>
    /// <param name="signal">The signal when the result is true.</param>
    /// <returns>Whether this content carries a valid call signal.</returns>
    public bool TryGetCallSignal([NotNullWhen(true)] out CallSignal? signal)
    {
        signal = null;
        return Kind == CallKind && Call is { ValueKind: JsonValueKind.Object } call
            && CallSignalCodec.TryParse(Encoding.UTF8.GetBytes(call.GetRawText()), out signal, out _);
    }

    /// <summary>Serializes to UTF-8 JSON.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ContentJsonContext.Default.MessageContent);

    /// <summary>Parses decrypted bytes; hostile input gives false, never an exception.</summary>
    /// <param name="bytes">The plaintext.</param>
    /// <param name="content">The content when the result is true.</param>
    /// <returns>Whether the bytes were a well-formed content of a known kind.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out MessageContent? content)
    {
        content = null;
        try
        {
            content = JsonSerializer.Deserialize(bytes, ContentJsonContext.Default.MessageContent);
        }
        catch (JsonException)
        {
            return false;
        }

        if (content is null || !MessageId.TryParse(content.Id, out _))
        {
            return false;
        }

        return content.Kind switch
        {
            TextKind => content.Text is not null,
            ReceiptKind => content.Receipt is "delivered" or "read" && content.Ids is { Count: > 0 and <= MaxReceiptIds },
            TypingKind => true,
            EndSessionKind => true,
            CallKind => content.TryGetCallSignal(out _),
            _ => false,
        };
    }
}

/// <summary>Source-generated JSON metadata for message contents.</summary>
[JsonSerializable(typeof(MessageContent))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 8)]
internal sealed partial class ContentJsonContext : JsonSerializerContext;
