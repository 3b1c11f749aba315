using System.Buffers;
using System.Text;
using Parley.Server.Relay;

namespace Parley.Server.Tests.Relay.Properties;

/// <summary>
/// The connection-level upgrade takes only a plain, complete, unambiguous request; everything else
/// must come back null so that the ordinary pipeline serves or refuses it as before.
/// </summary>
public sealed class RelayUpgradeRequestTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Head(string extraHeaders = "", string requestLine = "GET /v1/ws HTTP/1.1") =>
        requestLine + "\r\nHost: 127.0.0.1:8443\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: " + Key + "\r\nAuthorization: Bearer tok_EN-123\r\n" + extraHeaders + "\r\n";

    private static RelayUpgradeRequest? Parse(string text) => RelayUpgradeRequest.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)));

    [Fact]
    public void A_client_websocket_request_is_taken_with_its_token_key_and_length()
    {
        var head = Head("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nUser-Agent: x\r\n");
        var request = Parse(head + "\x81\x80trailing frame bytes");

        Assert.NotNull(request);
        Assert.Equal("tok_EN-123", request.Token);
        Assert.Equal(Key, request.Key);
        Assert.Null(request.Origin);
        Assert.Equal(head.Length, request.HeadLength);
    }

    [Fact]
    public void Header_names_and_the_bearer_prefix_are_case_insensitive_and_values_are_trimmed()
    {
        var head = "GET /v1/ws HTTP/1.1\r\nhost: h\r\nconnection: keep-alive, Upgrade\r\nupgrade: WebSocket\r\nsec-websocket-version:13\r\n" +
            "SEC-WEBSOCKET-KEY:   " + Key + "  \r\nauthorization: bearer  tok \r\nX-Forwarded-For: 203.0.113.7\r\n\r\n";
        var request = Parse(head);

        Assert.NotNull(request);
        Assert.Equal("tok", request.Token);
        Assert.Equal("203.0.113.7", request.ForwardedFor);
    }

    [Fact]
    public void A_request_split_across_two_segments_is_read_whole()
    {
        var bytes = Encoding.ASCII.GetBytes(Head());
        var first = new Segment(bytes.AsMemory(0, 40));
        var last = first.Append(bytes.AsMemory(40));
        Assert.NotNull(RelayUpgradeRequest.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    [Theory]
    [InlineData("GET /v1/ws?x=1 HTTP/1.1")]
    [InlineData("GET /v1/ws/ HTTP/1.1")]
    [InlineData("GET /v1/contacts HTTP/1.1")]
    [InlineData("get /v1/ws HTTP/1.1")]
    [InlineData("GET /v1/ws HTTP/1.0")]
    [InlineData("POST /v1/ws HTTP/1.1")]
    [InlineData("PRI * HTTP/2.0")]
    public void Another_request_line_goes_to_the_pipeline(string requestLine) => Assert.Null(Parse(Head(requestLine: requestLine)));

    [Theory]
    [InlineData("Host: again\r\n")]
    [InlineData("Authorization: Bearer other\r\n")]
    [InlineData("Sec-WebSocket-Key: " + Key + "\r\n")]
    [InlineData("Content-Length: 0\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\n")]
    [InlineData("Expect: 100-continue\r\n")]
    [InlineData("Sec-WebSocket-Protocol: parley\r\n")]
    [InlineData("Forwarded: for=203.0.113.7\r\n")]
    [InlineData("X-Forwarded-For: a\r\nX-Forwarded-For: b\r\n")]
    [InlineData("Bad Name: x\r\n")]
    [InlineData(": no name\r\n")]
    [InlineData("No-Colon\r\n")]
    [InlineData("Folded: a\r\n continued\r\n")]
    [InlineData("Obs-Text: caf\u00e9\r\n")]
    [InlineData("Control: a\u0001b\r\n")]
    [InlineData("Bare-Lf: x\n")]
    public void An_ambiguous_or_unusual_header_goes_to_the_pipeline(string extra) => Assert.Null(Parse(Head(extra)));

    [Theory]
    [InlineData("Upgrade: websocket", "Upgrade: h2c")]
    [InlineData("Connection: Upgrade", "Connection: keep-alive")]
    [InlineData("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")]
    [InlineData("Sec-WebSocket-Key: " + Key, "Sec-WebSocket-Key: c2hvcnQ=")]
    [InlineData("Authorization: Bearer tok_EN-123", "Authorization: Basic YTpi")]
    [InlineData("Authorization: Bearer tok_EN-123", "Authorization: Bearer   ")]
    [InlineData("Host: 127.0.0.1:8443\r\n", "")]
    public void A_missing_or_wrong_upgrade_header_goes_to_the_pipeline(string original, string replacement) =>
        Assert.Null(Parse(Head().Replace(original, replacement, StringComparison.Ordinal)));

    [Fact]
    public void An_origin_is_reported_for_the_caller_to_check() =>
        Assert.Equal("https://app.example", Parse(Head("Origin: https://app.example\r\n"))!.Origin);

    [Fact]
    public void An_incomplete_head_goes_to_the_pipeline()
    {
        var head = Head();
        for (var cut = 1; cut < head.Length; cut++)
        {
            Assert.Null(Parse(head[..cut]));
        }
    }

    [Fact]
    public void A_head_of_exactly_the_limit_is_taken_and_one_byte_more_is_not()
    {
        var bare = Head("Padding: \r\n").Length;
        var padding = new string('p', RelayUpgradeRequest.MaxHeadBytes - bare);
        var atLimit = Head("Padding: " + padding + "\r\n");
        Assert.Equal(RelayUpgradeRequest.MaxHeadBytes, atLimit.Length);
        Assert.NotNull(Parse(atLimit));

        Assert.Null(Parse(Head("Padding: " + padding + "p\r\n")));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
