using System.Text.Json;
using Google.Protobuf;
using Parley.Client.Diagnostics;
using Parley.Wire;

namespace Parley.Client.Tests.Diagnostics;

public sealed class ProtocolTraceTests
{
    private static readonly byte[] Id = Convert.FromHexString("00112233445566778899aabbccddeeff");

    [Fact]
    public void A_frame_is_one_json_line_with_ids_in_hex_and_ciphertext_as_its_length()
    {
        var (trace, output) = NewTrace(plaintext: false);
        trace.Frame(outgoing: false, new ServerFrame
        {
            Deliver = new Deliver { MessageId = ByteString.CopyFrom(Id), Sender = "alice", Type = EnvelopeType.RatchetMessage, Ciphertext = ByteString.CopyFrom(new byte[300]) },
        });

        var line = Assert.Single(Lines(output));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("in", json.RootElement.GetProperty("dir").GetString());
        var deliver = json.RootElement.GetProperty("relay").GetProperty("deliver");
        Assert.Equal("00112233445566778899aabbccddeeff", deliver.GetProperty("message_id").GetString());
        Assert.Equal("alice", deliver.GetProperty("sender").GetString());
        Assert.Equal("ENVELOPE_TYPE_RATCHET_MESSAGE", deliver.GetProperty("type").GetString());
        Assert.Equal("<300 bytes>", deliver.GetProperty("ciphertext").GetString());
    }

    [Fact]
    public void A_note_and_decrypted_content_show_only_when_plaintext_was_asked_for()
    {
        var note = new ServerFrame { ContactEvent = new ContactEvent { MessageId = ByteString.CopyFrom(Id), From = "bob", Note = "secret note" } };
        var content = new Parley.Client.Messaging.MessageContent { Kind = Parley.Client.Messaging.ContentKind.Text, Id = Parley.Client.Messaging.MessageId.New(), Text = "hello" }.ToBytes();

        var (redacted, quiet) = NewTrace(plaintext: false);
        redacted.Frame(outgoing: false, note);
        redacted.Content(outgoing: true, "bob", content);
        var hidden = string.Join('\n', Lines(quiet));
        Assert.DoesNotContain("secret note", hidden, StringComparison.Ordinal);
        Assert.Contains("<11 characters>", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", hidden, StringComparison.Ordinal);
        Assert.Single(Lines(quiet)); // no content line at all

        var (open, loud) = NewTrace(plaintext: true);
        open.Frame(outgoing: false, note);
        open.Content(outgoing: true, "bob", content);
        var shown = Lines(loud);
        Assert.Equal(2, shown.Count);
        Assert.Contains("secret note", shown[0], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(shown[1]);
        Assert.Equal("bob", json.RootElement.GetProperty("peer").GetString());
        Assert.Contains("\"text\": { \"body\": \"hello\" }", json.RootElement.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Http_exchanges_show_method_path_and_status_only()
    {
        var (trace, output) = NewTrace(plaintext: true);
        trace.Http("POST", "/v1/auth/login/finish", 401, TimeSpan.FromMilliseconds(12.34));
        using var json = JsonDocument.Parse(Assert.Single(Lines(output)));
        Assert.Equal("POST /v1/auth/login/finish", json.RootElement.GetProperty("http").GetString());
        Assert.Equal(401, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(12.3, json.RootElement.GetProperty("ms").GetDouble());
    }

    [Fact]
    public void Unset_fields_are_left_out_and_large_numbers_survive()
    {
        var (trace, output) = NewTrace(plaintext: false);
        trace.Frame(outgoing: true, new ClientFrame { Ping = new Ping { Nonce = ulong.MaxValue } });
        using var json = JsonDocument.Parse(Assert.Single(Lines(output)));
        var relay = json.RootElement.GetProperty("relay");
        Assert.Single(relay.EnumerateObject());
        Assert.Equal(ulong.MaxValue, relay.GetProperty("ping").GetProperty("nonce").GetUInt64());
    }

    private static (ProtocolTrace Trace, StringWriter Output) NewTrace(bool plaintext)
    {
        var output = new StringWriter();
        return (new ProtocolTrace(output, plaintext), output);
    }

    private static List<string> Lines(StringWriter output) =>
        [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
