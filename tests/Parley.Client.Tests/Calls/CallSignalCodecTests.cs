using System.Text;
using CsCheck;
using Parley.Client.Calls;

namespace Parley.Client.Tests.Calls;

/// <summary>
/// The call signal format (docs/PROTOCOL.md 10B.2): byte-exact output, round trips of every kind,
/// and a typed refusal for each kind of hostile input, every limit at the limit and one past it.
/// </summary>
public sealed class CallSignalCodecTests
{
    private static readonly CallId Id = CallId.TryParse("00112233445566778899aabbccddeeff", out var id) ? id : default;
    private static readonly DtlsFingerprint Fp = new(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    [Fact]
    public void Signals_are_written_byte_exact()
    {
        Assert.Equal("""{"v":1,"t":"ringing","call":"00112233445566778899aabbccddeeff"}""", Text(new CallNotice(Id, CallSignalType.Ringing)));
        Assert.Equal("""{"v":1,"t":"hangup","call":"00112233445566778899aabbccddeeff","reason":"no-answer"}""", Text(new CallHangup(Id, HangupReason.NoAnswer)));
        Assert.Equal("""{"v":1,"t":"ice","call":"00112233445566778899aabbccddeeff","cands":[{"c":"candidate:1 1 udp 1 127.0.0.1 5 typ relay","mid":"0","idx":0},{"c":""}]}""",
            Text(new CallIceCandidates(Id, [new("candidate:1 1 udp 1 127.0.0.1 5 typ relay", "0", 0), new("", null, null)])));
        var sdp = "v=0\r\na=fingerprint:" + Fp + "\r\na=ice-pwd:a+b/c\r\n";
        Assert.Equal("""{"v":1,"t":"offer","call":"00112233445566778899aabbccddeeff","media":"video","sdp":"v=0\r\na=fingerprint:sha-256 00:07:0E:15:1C:23:2A:31:38:3F:46:4D:54:5B:62:69:70:77:7E:85:8C:93:9A:A1:A8:AF:B6:BD:C4:CB:D2:D9\r\na=ice-pwd:a+b/c\r\n","fp":"sha-256 00:07:0E:15:1C:23:2A:31:38:3F:46:4D:54:5B:62:69:70:77:7E:85:8C:93:9A:A1:A8:AF:B6:BD:C4:CB:D2:D9","restart":false}""",
            Text(new CallOffer(Id, CallMedia.Video, sdp, Fp)));
    }

    public static TheoryData<CallSignal> EveryKind() => new(AllKinds());

    private static CallSignal[] AllKinds()
    {
        var sdp = TestSdp.For(Fp);
        return
        [
            new CallOffer(Id, CallMedia.Audio, sdp, Fp), new CallOffer(Id, CallMedia.Video, sdp, Fp, restart: true),
            new CallAccept(Id, sdp, Fp), new CallAnswer(Id, sdp, Fp),
            new CallIceCandidates(Id, [new("candidate:842163049 1 udp 1677729535 127.0.0.1 3478 typ relay", "1", 1)]),
            new CallNotice(Id, CallSignalType.Ringing), new CallNotice(Id, CallSignalType.Decline), new CallNotice(Id, CallSignalType.Busy),
            new CallHangup(Id, HangupReason.Normal), new CallHangup(Id, HangupReason.Cancelled), new CallHangup(Id, HangupReason.NoAnswer),
            new CallHangup(Id, HangupReason.Failed), new CallHangup(Id, HangupReason.Security),
        ];
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_kind_round_trips(CallSignal signal)
    {
        var bytes = CallSignalCodec.Write(signal);
        Assert.True(CallSignalCodec.TryParse(bytes, out var parsed, out var error), error.ToString());
        Assert.Equal(bytes, CallSignalCodec.Write(parsed));
        Assert.Equal((signal.Type, signal.CallId), (parsed.Type, parsed.CallId));
        Assert.DoesNotContain("a=ice-pwd", parsed.ToString(), StringComparison.Ordinal); // SDP never printed
    }

    [Theory]
    [InlineData("[]", CallSignalError.Malformed)]
    [InlineData("{\"v\":1,\"t\":\"ringing\"", CallSignalError.Malformed)]
    [InlineData("{\"v\":1,\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeeff\",\"x\":{\"y\":{\"z\":{\"w\":1}}}}", CallSignalError.Malformed)]
    [InlineData("{\"v\":\"1\",\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeeff\"}", CallSignalError.Malformed)]
    [InlineData("{\"v\":2,\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeeff\"}", CallSignalError.UnsupportedVersion)]
    [InlineData("{\"v\":1,\"t\":\"ring\",\"call\":\"00112233445566778899aabbccddeeff\"}", CallSignalError.UnknownType)]
    [InlineData("{\"v\":1,\"t\":\"ringing\",\"call\":\"00112233445566778899AABBCCDDEEFF\"}", CallSignalError.BadCallId)]
    [InlineData("{\"v\":1,\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeef\"}", CallSignalError.BadCallId)]
    [InlineData("{\"v\":1,\"t\":\"ringing\",\"t\":\"busy\",\"call\":\"00112233445566778899aabbccddeeff\"}", CallSignalError.DuplicateField)]
    [InlineData("{\"v\":1,\"t\":\"hangup\",\"call\":\"00112233445566778899aabbccddeeff\",\"reason\":\"bored\"}", CallSignalError.BadReason)]
    [InlineData("{\"v\":1,\"t\":\"hangup\",\"call\":\"00112233445566778899aabbccddeeff\"}", CallSignalError.Malformed)]
    [InlineData("{\"v\":1,\"t\":\"ice\",\"call\":\"00112233445566778899aabbccddeeff\",\"cands\":[]}", CallSignalError.TooManyCandidates)]
    [InlineData("{\"v\":1,\"t\":\"ringing\",\"call\":\"\\ud800\"}", CallSignalError.Malformed)]
    [InlineData("{\"v\":1,\"t\":\"ringing\",\"\\udfff\":1,\"call\":\"00112233445566778899aabbccddeeff\"}", CallSignalError.Malformed)]
    [InlineData("{\"v\":1,\"t\":\"ice\",\"call\":\"00112233445566778899aabbccddeeff\",\"cands\":[{\"c\":\"typ host\"}]}", CallSignalError.BadCandidate)]
    [InlineData("{\"v\":1,\"t\":\"ice\",\"call\":\"00112233445566778899aabbccddeeff\",\"cands\":[{\"c\":\"candidate:1\",\"c\":\"candidate:2\"}]}", CallSignalError.Malformed)]
    [InlineData("{\"v\":1,\"t\":\"ice\",\"call\":\"00112233445566778899aabbccddeeff\",\"cands\":[{\"c\":\"candidate:1\",\"idx\":-1}]}", CallSignalError.BadCandidate)]
    [InlineData("{\"v\":1,\"t\":\"ice\",\"call\":\"00112233445566778899aabbccddeeff\",\"cands\":[{\"c\":\"candidate:1\",\"mid\":\"a b\"}]}", CallSignalError.BadCandidate)]
    public void Hostile_input_gets_a_typed_refusal(string json, CallSignalError expected)
    {
        Assert.False(CallSignalCodec.TryParse(Encoding.UTF8.GetBytes(json), out var signal, out var error));
        Assert.Equal(expected, error);
        Assert.Null(signal);
    }

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        byte[] bytes = [.. "{\"v\":1,\"t\":\"ringing\",\"call\":\""u8, 0x80, .. "\"}"u8];
        Assert.False(CallSignalCodec.TryParse(bytes, out _, out var error));
        Assert.Equal(CallSignalError.Malformed, error);
    }

    [Theory]
    [InlineData("media", "\"screen\"", CallSignalError.BadMedia)]
    [InlineData("fp", "\"sha-1 00:11\"", CallSignalError.BadFingerprint)]
    [InlineData("fp", "\"sha-256 00\"", CallSignalError.BadFingerprint)]
    [InlineData("sdp", "\"v=1\\r\\n\"", CallSignalError.BadSdp)]
    [InlineData("sdp", "\"v=0\\r\\na=x\\u0000\\r\\n\"", CallSignalError.BadSdp)]
    [InlineData("sdp", "\"v=0\\na=fingerprint:x\\n\"", CallSignalError.BadSdp)]
    [InlineData("sdp", "\"v=0\\r\\ns=-\\r\\n\"", CallSignalError.FingerprintMismatch)]
    [InlineData("restart", "\"yes\"", CallSignalError.Malformed)]
    public void An_offer_with_a_bad_field_is_refused(string field, string value, CallSignalError expected)
    {
        var json = Text(new CallOffer(Id, CallMedia.Video, TestSdp.For(Fp), Fp));
        var start = json.IndexOf("\"" + field + "\":", StringComparison.Ordinal) + field.Length + 3;
        var end = field == "restart" ? json.Length - 1 : json.IndexOf("\",\"", start, StringComparison.Ordinal) + 1;
        var hostile = json[..start] + value + json[end..];
        Assert.False(CallSignalCodec.TryParse(Encoding.UTF8.GetBytes(hostile), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void An_sdp_whose_fingerprint_lines_differ_from_the_signalled_fingerprint_is_refused()
    {
        var other = new DtlsFingerprint(new byte[32]);
        var mixed = TestSdp.For(Fp, video: false) + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fingerprint:" + other + "\r\n";
        var bytes = CallSignalCodec.Write(new CallAccept(Id, TestSdp.For(Fp), Fp));
        var forged = Encoding.UTF8.GetString(bytes).Replace(Escaped(TestSdp.For(Fp)), Escaped(mixed), StringComparison.Ordinal);
        Assert.False(CallSignalCodec.TryParse(Encoding.UTF8.GetBytes(forged), out _, out var error));
        Assert.Equal(CallSignalError.FingerprintMismatch, error);
    }

    [Fact]
    public void The_signal_size_limit_holds_at_the_limit_and_one_past_it()
    {
        var exact = Pad("{\"v\":1,\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeeff\",\"pad\":\"", "\"}", CallLimits.MaxSignalBytes);
        Assert.True(CallSignalCodec.TryParse(exact, out _, out _));
        var over = Pad("{\"v\":1,\"t\":\"ringing\",\"call\":\"00112233445566778899aabbccddeeff\",\"pad\":\"", "\"}", CallLimits.MaxSignalBytes + 1);
        Assert.False(CallSignalCodec.TryParse(over, out _, out var error));
        Assert.Equal(CallSignalError.TooLarge, error);
    }

    [Fact]
    public void The_sdp_length_limit_holds_at_the_limit_and_one_past_it()
    {
        var head = TestSdp.For(Fp) + "a=x-pad:";
        var atLimit = head + new string('p', CallLimits.MaxSdpLength - head.Length - 2) + "\r\n";
        Assert.Equal(CallLimits.MaxSdpLength, atLimit.Length);
        Assert.True(Parses(new CallAccept(Id, atLimit, Fp)));
        var past = head + new string('p', CallLimits.MaxSdpLength - head.Length - 1) + "\r\n";
        Assert.False(CallSignalCodec.TryParse(CallSignalCodec.Write(new CallAccept(Id, past, Fp)), out _, out var error));
        Assert.Equal(CallSignalError.BadSdp, error);
    }

    [Fact]
    public void Candidate_limits_hold_at_the_limit_and_one_past_it()
    {
        var line = "candidate:" + new string('1', CallLimits.MaxCandidateLength - 10);
        Assert.True(Parses(new CallIceCandidates(Id, [new(line, new string('m', CallLimits.MaxSdpMidLength), CallLimits.MaxSdpMLineIndex)])));
        Assert.Equal(CallSignalError.BadCandidate, Refusal(new CallIceCandidates(Id, [new(line + "1", null, null)])));
        Assert.Equal(CallSignalError.BadCandidate, Refusal(new CallIceCandidates(Id, [new("candidate:1", new string('m', CallLimits.MaxSdpMidLength + 1), null)])));
        Assert.Equal(CallSignalError.BadCandidate, Refusal(new CallIceCandidates(Id, [new("candidate:1", null, CallLimits.MaxSdpMLineIndex + 1)])));
        var one = new IceCandidate("candidate:1", "0", 0);
        Assert.True(Parses(new CallIceCandidates(Id, Enumerable.Repeat(one, CallLimits.MaxCandidatesPerSignal).ToList())));
        Assert.Equal(CallSignalError.TooManyCandidates, Refusal(new CallIceCandidates(Id, Enumerable.Repeat(one, CallLimits.MaxCandidatesPerSignal + 1).ToList())));
    }

    [Fact]
    public void Fingerprints_parse_only_in_the_sdp_form_and_compare_by_value()
    {
        Assert.True(DtlsFingerprint.TryParse(Fp.ToString().ToLowerInvariant().Replace("sha-256", "SHA-256", StringComparison.Ordinal), out var parsed));
        Assert.Equal(Fp, parsed);
        Assert.Equal(DtlsFingerprint.TextLength, Fp.ToString().Length);
        Assert.False(DtlsFingerprint.TryParse(Fp.ToString().Replace(':', '-'), out _));
        Assert.False(DtlsFingerprint.TryParse(Fp + ":00", out _));
        Assert.False(DtlsFingerprint.TryParse(Fp.ToString()[..^1] + "G", out _));
        Assert.False(DtlsFingerprint.TryParse(Fp.ToString().Replace("00:07", "+0:07", StringComparison.Ordinal), out _));
        Assert.NotEqual(Fp, new DtlsFingerprint(new byte[32]));
    }

    [Fact]
    public void Random_bytes_and_mutated_signals_never_throw()
    {
        var valid = AllKinds().Select(CallSignalCodec.Write).ToArray();
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 4096], Gen.Byte, Gen.Int[0, 3]).Sample(sample =>
        {
            var (which, at, value, mode) = sample;
            var bytes = (byte[])valid[which].Clone();
            var position = at % bytes.Length;
            bytes = mode switch
            {
                0 => Set(bytes, position, value),
                1 => bytes[..position],
                2 => [.. bytes[..position], value, .. bytes[position..]],
                _ => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\"", "", StringComparison.Ordinal)),
            };
            _ = CallSignalCodec.TryParse(bytes, out _, out _);
        }, iter: 20_000);
        Gen.Byte.Array[0, 512].Sample(bytes =>
        {
            _ = CallSignalCodec.TryParse(bytes, out _, out _);
        }, iter: 5_000);
    }

    private static byte[] Set(byte[] bytes, int position, byte value)
    {
        bytes[position] = value;
        return bytes;
    }

    private static string Text(CallSignal signal) => Encoding.UTF8.GetString(CallSignalCodec.Write(signal));

    private static string Escaped(string sdp) => sdp.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static bool Parses(CallSignal signal) => CallSignalCodec.TryParse(CallSignalCodec.Write(signal), out _, out _);

    private static CallSignalError Refusal(CallSignal signal)
    {
        Assert.False(CallSignalCodec.TryParse(CallSignalCodec.Write(signal), out _, out var error));
        return error;
    }

    private static byte[] Pad(string head, string tail, int total) =>
        Encoding.UTF8.GetBytes(head + new string('x', total - head.Length - tail.Length) + tail);
}
