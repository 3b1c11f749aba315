using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Client.Messaging;

/// <summary>
/// What travels inside the end-to-end encryption: a text message, a receipt or a typing notice.
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
            _ => false,
        };
    }
}

/// <summary>Source-generated JSON metadata for message contents.</summary>
[JsonSerializable(typeof(MessageContent))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 8)]
internal sealed partial class ContentJsonContext : JsonSerializerContext;
