using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Parley.Client.Transfers;
using Parley.Crypto.Attachments;

namespace Parley.Client.Tests.Transfers;

/// <summary>The file pointer: exact round trip, hostile input refused without exceptions, secret hygiene.</summary>
public sealed class FilePointerTests
{
    private const string Id = "00112233445566778899aabbccddeeff";

    private static FilePointer Sample(string name = "notes.txt") =>
        new(Id, RandomNumberGenerator.GetBytes(32), 123_456, RandomNumberGenerator.GetBytes(32), AttachmentFormat.DefaultChunkSize, 1, name, "text/plain");

    [Fact]
    public void A_pointer_round_trips_through_json()
    {
        using var original = Sample();
        Assert.True(FilePointer.TryParse(original.ToJson(), out var parsed));
        using (parsed)
        {
            Assert.Equal(original.BlobId, parsed.BlobId);
            Assert.Equal(original.Size, parsed.Size);
            Assert.Equal(original.ChunkSize, parsed.ChunkSize);
            Assert.Equal(original.Suite, parsed.Suite);
            Assert.Equal(original.Name, parsed.Name);
            Assert.Equal(original.ContentType, parsed.ContentType);
            Assert.Equal(original.CiphertextSha256.ToArray(), parsed.CiphertextSha256.ToArray());
            Assert.Equal(original.ToJson(), parsed.ToJson());
            Assert.Equal(AttachmentFormat.CiphertextLength(123_456), parsed.CiphertextLength);
        }
    }

    public static TheoryData<string, JsonNode?> Mutations => new()
    {
        { "v", 2 },
        { "id", "00112233445566778899AABBCCDDEEFF" },
        { "id", "../../../../etc/passwd" },
        { "key", "AAAA" },
        { "key", 5 },
        { "size", -1 },
        { "size", "12" },
        { "size", 1.5 },
        { "sha256", "!!!!" },
        { "chunk", AttachmentFormat.MinChunkSize - 1 },
        { "chunk", AttachmentFormat.MaxChunkSize + 1 },
        { "suite", 3 },
        { "suite", 0 },
        { "name", new string('n', FilePointer.MaxNameChars + 1) },
        { "type", new string('t', FilePointer.MaxContentTypeChars + 1) },
        { "name", null },
        { "type", new JsonObject() },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_pointer_with_a_bad_field_is_refused(string field, JsonNode? value)
    {
        using var original = Sample();
        JsonNode json = JsonNode.Parse(original.ToJson())!;
        json[field] = value;
        Assert.False(FilePointer.TryParse(json.ToJsonString(), out _));
        json.AsObject().Remove(field);
        Assert.False(FilePointer.TryParse(json.ToJsonString(), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"v\":1,\"x\":{\"y\":{\"z\":1}}}")]
    [InlineData("\"just a string\"")]
    public void Malformed_json_is_refused(string text) => Assert.False(FilePointer.TryParse(text, out _));

    [Fact]
    public void An_oversized_pointer_is_refused_before_parsing()
    {
        string huge = "{\"pad\":\"" + new string('x', FilePointer.MaxSerializedBytes) + "\"}";
        Assert.False(FilePointer.TryParse(huge, out _));
        Assert.False(FilePointer.TryParse(null, out _));
    }

    [Fact]
    public void The_key_never_shows_in_to_string_and_is_gone_after_dispose()
    {
        var pointer = Sample();
        Assert.Equal(nameof(FilePointer), pointer.ToString());
        pointer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pointer.CreateKey());
        Assert.Throws<ObjectDisposedException>(() => pointer.ToJson());
    }

    [Fact]
    public void File_messages_carry_the_pointer_and_display_without_the_key()
    {
        using var pointer = Sample("../evil\u202Etxt.exe");
        string text = FileMessageText.Format(pointer);
        Assert.True(FileMessageText.TryParse(text, out var parsed));
        parsed.Dispose();

        string shown = FileMessageText.ForDisplay(text, "m1");
        Assert.Equal("[file] eviltxt.exe (120.6 KiB) — fetch with: parley file get m1", shown);
        Assert.DoesNotContain("key", shown, StringComparison.Ordinal);
        Assert.Equal("[file] (unreadable file message)", FileMessageText.ForDisplay(FileMessageText.Prefix + "{}", "m2"));
        Assert.Equal("hello", FileMessageText.ForDisplay("hello", "m3"));
    }
}
