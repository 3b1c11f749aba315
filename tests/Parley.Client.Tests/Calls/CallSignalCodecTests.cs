using CsCheck;
using Google.Protobuf;
using Parley.Client.Calls;
using Proto = Parley.Client.Messaging.Proto;

namespace Parley.Client.Tests.Calls;

/// <summary>
/// The call signal format (docs/PROTOCOL.md 10B.2, the protobuf <c>Call</c> body): round trips of
/// every kind, and a typed refusal for each kind of hostile input, every limit at the limit and one past it.
/// </summary>
public sealed class CallSignalCodecTests
{
    private static readonly CallId Id = CallId.TryParse("00112233445566778899aabbccddeeff", out var id) ? id : default;
    private static readonly DtlsFingerprint Fp = new(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    [Fact]
    public void Signals_map_to_the_typed_call_body()
    {
        var hangup = CallSignalCodec.ToProto(new CallHangup(Id, HangupReason.NoAnswer));
        Assert.Equal(Proto.Call.Types.Hangup.Types.Reason.NoAnswer, hangup.Hangup.Reason);
        Assert.Equal(Convert.FromHexString("00112233445566778899aabbccddeeff"), hangup.CallId.ToByteArray());
        var ice = CallSignalCodec.ToProto(new CallIceCandidates(Id, [new("candidate:1 1 udp 1 127.0.0.1 5 typ relay", "0", 0), new("", null, null)]));
        Assert.Equal(2, ice.Ice.Candidates_.Count);
        Assert.True(ice.Ice.Candidates_[0].HasSdpMid && ice.Ice.Candidates_[0].HasSdpMLineIndex);
        Assert.False(ice.Ice.Candidates_[1].HasSdpMid || ice.Ice.Candidates_[1].HasSdpMLineIndex);
        var offer = CallSignalCodec.ToProto(new CallOffer(Id, CallMedia.Video, TestSdp.For(Fp), Fp));
        Assert.Equal(Proto.Call.Types.Media.Video, offer.Offer.Media);
        Assert.Equal(Fp.ToString(), offer.Offer.Description.Fingerprint);
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

    public static TheoryData<string, CallSignalError> HostileBodies() => new()
    {
        { "not protobuf", CallSignalError.Malformed },
        { "no signal", CallSignalError.UnknownType },
        { "unknown signal", CallSignalError.UnknownType },
        { "short call id", CallSignalError.BadCallId },
        { "no call id", CallSignalError.BadCallId },
        { "hangup without reason", CallSignalError.BadReason },
        { "hangup with unknown reason", CallSignalError.BadReason },
        { "notice without kind", CallSignalError.BadReason },
        { "no candidates", CallSignalError.TooManyCandidates },
        { "candidate not a candidate line", CallSignalError.BadCandidate },
        { "candidate with a space in mid", CallSignalError.BadCandidate },
        { "offer without description", CallSignalError.Malformed },
        { "offer without media", CallSignalError.BadMedia },
        { "offer with sha-1", CallSignalError.BadFingerprint },
        { "offer with short fingerprint", CallSignalError.BadFingerprint },
        { "sdp not v=0", CallSignalError.BadSdp },
        { "sdp with NUL", CallSignalError.BadSdp },
        { "sdp with bare LF", CallSignalError.BadSdp },
        { "sdp without fingerprint line", CallSignalError.FingerprintMismatch },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public void Hostile_input_gets_a_typed_refusal(string which, CallSignalError expected)
    {
        var call = new Proto.Call { CallId = ByteString.CopyFrom(Convert.FromHexString("00112233445566778899aabbccddeeff")) };
        var offer = CallSignalCodec.ToProto(new CallOffer(Id, CallMedia.Video, TestSdp.For(Fp), Fp)).Offer;
        byte[]? raw = null;
        switch (which)
        {
            case "not protobuf": raw = [0xFF, 0xFF, 0xFF]; break;
            case "unknown signal": raw = [.. call.ToByteArray(), 0x42, 0x00]; break; // field 8, empty
            case "short call id": call.CallId = ByteString.CopyFrom(new byte[15]); call.Notice = new() { Kind = Proto.Call.Types.Notice.Types.Kind.Ringing }; break;
            case "no call id": call.CallId = ByteString.Empty; call.Notice = new() { Kind = Proto.Call.Types.Notice.Types.Kind.Ringing }; break;
            case "hangup without reason": call.Hangup = new(); break;
            case "hangup with unknown reason": call.Hangup = new() { Reason = (Proto.Call.Types.Hangup.Types.Reason)99 }; break;
            case "notice without kind": call.Notice = new(); break;
            case "no candidates": call.Ice = new(); break;
            case "candidate not a candidate line": call.Ice = new() { Candidates_ = { new Proto.Call.Types.Candidate { Candidate_ = "typ host" } } }; break;
            case "candidate with a space in mid": call.Ice = new() { Candidates_ = { new Proto.Call.Types.Candidate { Candidate_ = "candidate:1", SdpMid = "a b" } } }; break;
            case "offer without description": offer.Description = null; call.Offer = offer; break;
            case "offer without media": offer.Media = Proto.Call.Types.Media.Unspecified; call.Offer = offer; break;
            case "offer with sha-1": offer.Description.Fingerprint = "sha-1 00:11"; call.Offer = offer; break;
            case "offer with short fingerprint": offer.Description.Fingerprint = "sha-256 00"; call.Offer = offer; break;
            case "sdp not v=0": offer.Description.Sdp = "v=1\r\n"; call.Offer = offer; break;
            case "sdp with NUL": offer.Description.Sdp = "v=0\r\na=x\0\r\n"; call.Offer = offer; break;
            case "sdp with bare LF": offer.Description.Sdp = "v=0\na=fingerprint:x\n"; call.Offer = offer; break;
            case "sdp without fingerprint line": offer.Description.Sdp = "v=0\r\ns=-\r\n"; call.Offer = offer; break;
        }
        Assert.False(CallSignalCodec.TryParse(raw ?? call.ToByteArray(), out var signal, out var error));
        Assert.Equal(expected, error);
        Assert.Null(signal);
    }

    [Fact]
    public void An_sdp_whose_fingerprint_lines_differ_from_the_signalled_fingerprint_is_refused()
    {
        var other = new DtlsFingerprint(new byte[32]);
        var mixed = TestSdp.For(Fp, video: false) + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fingerprint:" + other + "\r\n";
        var forged = CallSignalCodec.ToProto(new CallAccept(Id, TestSdp.For(Fp), Fp));
        forged.Accept.Sdp = mixed;
        Assert.False(CallSignalCodec.TryParse(forged.ToByteArray(), out _, out var error));
        Assert.Equal(CallSignalError.FingerprintMismatch, error);
    }

    [Fact]
    public void The_signal_size_limit_holds_at_the_limit_and_one_past_it()
    {
        var ringing = CallSignalCodec.Write(new CallNotice(Id, CallSignalType.Ringing));
        var exact = Pad(ringing, CallLimits.MaxSignalBytes);
        Assert.Equal(CallLimits.MaxSignalBytes, exact.Length);
        Assert.True(CallSignalCodec.TryParse(exact, out _, out _));
        var over = Pad(ringing, CallLimits.MaxSignalBytes + 1);
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
                _ => [.. bytes.Skip(position)],
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

    private static bool Parses(CallSignal signal) => CallSignalCodec.TryParse(CallSignalCodec.Write(signal), out _, out _);

    private static CallSignalError Refusal(CallSignal signal)
    {
        Assert.False(CallSignalCodec.TryParse(CallSignalCodec.Write(signal), out _, out var error));
        return error;
    }

    /// <summary>The body plus an unknown length-delimited field (number 15) that makes it exactly <paramref name="total"/> bytes.</summary>
    private static byte[] Pad(byte[] body, int total)
    {
        for (var filler = total - body.Length - 2; filler >= 0; filler--)
        {
            using var stream = new MemoryStream();
            var output = new CodedOutputStream(stream);
            output.WriteTag(15, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(new byte[filler]));
            output.Flush();
            if (body.Length + stream.Length == total)
            {
                return [.. body, .. stream.ToArray()];
            }
        }
        throw new InvalidOperationException("No padding length fits.");
    }
}
