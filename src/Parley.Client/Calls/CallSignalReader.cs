using System.Buffers.Binary;
using Proto = Parley.Client.Messaging.Proto;

namespace Parley.Client.Calls;

/// <summary>The field-by-field checks behind <see cref="CallSignalCodec.TryFromProto"/>.</summary>
internal static class CallSignalReader
{
    private const string FingerprintAttribute = "a=fingerprint:";

    public static CallSignalError Read(Proto.Call call, out CallSignal? signal)
    {
        signal = null;
        if (call.CallId.Length != CallId.ByteLength)
        {
            return CallSignalError.BadCallId;
        }
        var id = new CallId(BinaryPrimitives.ReadUInt128BigEndian(call.CallId.Span));
        return call.SignalCase switch
        {
            Proto.Call.SignalOneofCase.Offer => ReadOffer(call.Offer, id, out signal),
            Proto.Call.SignalOneofCase.Accept => ReadAnswer(call.Accept, id, CallSignalType.Accept, out signal),
            Proto.Call.SignalOneofCase.Answer => ReadAnswer(call.Answer, id, CallSignalType.Answer, out signal),
            Proto.Call.SignalOneofCase.Ice => ReadCandidates(call.Ice, id, out signal),
            Proto.Call.SignalOneofCase.Notice => CallSignalCodec.NoticeKinds.FirstOrDefault(k => k.Kind == call.Notice.Kind) is { Kind: not 0 } notice
                ? Done(new CallNotice(id, notice.Type), out signal) : CallSignalError.BadReason,
            Proto.Call.SignalOneofCase.Hangup => CallSignalCodec.Reasons.FirstOrDefault(r => r.Proto == call.Hangup.Reason) is { Proto: not 0 } reason
                ? Done(new CallHangup(id, reason.Reason), out signal) : CallSignalError.BadReason,
            _ => CallSignalError.UnknownType,
        };
    }

    private static CallSignalError ReadOffer(Proto.Call.Types.Offer offer, CallId id, out CallSignal? signal)
    {
        signal = null;
        if (offer.Media is not (Proto.Call.Types.Media.Audio or Proto.Call.Types.Media.Video))
        {
            return CallSignalError.BadMedia;
        }
        var media = offer.Media == Proto.Call.Types.Media.Video ? CallMedia.Video : CallMedia.Audio;
        var error = ReadDescription(offer.Description, out var sdp, out var fingerprint);
        return error != CallSignalError.None ? error : Done(new CallOffer(id, media, sdp!, fingerprint!, offer.Restart), out signal);
    }

    private static CallSignalError ReadAnswer(Proto.Call.Types.Description description, CallId id, CallSignalType type, out CallSignal? signal)
    {
        signal = null;
        var error = ReadDescription(description, out var sdp, out var fingerprint);
        if (error != CallSignalError.None)
        {
            return error;
        }
        return Done(type == CallSignalType.Accept ? new CallAccept(id, sdp!, fingerprint!) : new CallAnswer(id, sdp!, fingerprint!), out signal);
    }

    private static CallSignalError ReadDescription(Proto.Call.Types.Description? description, out string? sdp, out DtlsFingerprint? fingerprint)
    {
        sdp = null;
        fingerprint = null;
        if (description is null)
        {
            return CallSignalError.Malformed;
        }
        sdp = description.Sdp;
        if (!IsSdp(sdp))
        {
            return CallSignalError.BadSdp;
        }
        if (!DtlsFingerprint.TryParse(description.Fingerprint, out fingerprint))
        {
            return CallSignalError.BadFingerprint;
        }
        return SdpCarries(sdp, fingerprint) ? CallSignalError.None : CallSignalError.FingerprintMismatch;
    }

    private static CallSignalError ReadCandidates(Proto.Call.Types.Candidates ice, CallId id, out CallSignal? signal)
    {
        signal = null;
        var count = ice.Candidates_.Count;
        if (count is 0 or > CallLimits.MaxCandidatesPerSignal)
        {
            return CallSignalError.TooManyCandidates;
        }
        var candidates = new List<IceCandidate>(count);
        foreach (var item in ice.Candidates_)
        {
            if (item.HasSdpMLineIndex && item.SdpMLineIndex > CallLimits.MaxSdpMLineIndex)
            {
                return CallSignalError.BadCandidate;
            }
            var candidate = new IceCandidate(item.Candidate_, item.HasSdpMid ? item.SdpMid : null, item.HasSdpMLineIndex ? (int)item.SdpMLineIndex : null);
            if (!IsCandidate(candidate))
            {
                return CallSignalError.BadCandidate;
            }
            candidates.Add(candidate);
        }
        return Done(new CallIceCandidates(id, candidates), out signal);
    }

    /// <summary>Printable ASCII lines ended by CRLF, starting with <c>v=0</c>, within the length limit.</summary>
    internal static bool IsSdp(string sdp) =>
        sdp.Length <= CallLimits.MaxSdpLength && sdp.StartsWith("v=0\r\n", StringComparison.Ordinal)
        && sdp.EndsWith("\r\n", StringComparison.Ordinal)
        && sdp.All(c => c is (>= ' ' and <= '~') or '\r' or '\n')
        && !sdp.Replace("\r\n", "", StringComparison.Ordinal).Any(c => c is '\r' or '\n');

    /// <summary>At least one <c>a=fingerprint</c> line, and every one equal to <paramref name="fingerprint"/>.</summary>
    internal static bool SdpCarries(string sdp, DtlsFingerprint fingerprint)
    {
        var seen = 0;
        foreach (var line in sdp.Split("\r\n"))
        {
            if (line.StartsWith(FingerprintAttribute, StringComparison.Ordinal))
            {
                if (!DtlsFingerprint.TryParse(line[FingerprintAttribute.Length..], out var inSdp) || !inSdp.Equals(fingerprint))
                {
                    return false;
                }
                seen++;
            }
        }
        return seen > 0;
    }

    /// <summary>A candidate as <see cref="CallSignalCodec"/> would accept it.</summary>
    internal static bool IsCandidate(IceCandidate candidate) =>
        candidate.Candidate.Length <= CallLimits.MaxCandidateLength
        && (candidate.Candidate.Length == 0 || candidate.Candidate.StartsWith("candidate:", StringComparison.Ordinal))
        && candidate.Candidate.All(c => c is >= ' ' and <= '~')
        && (candidate.SdpMid is null || (candidate.SdpMid.Length <= CallLimits.MaxSdpMidLength && candidate.SdpMid.All(c => c is > ' ' and <= '~')))
        && (candidate.SdpMLineIndex is null || candidate.SdpMLineIndex is >= 0 and <= CallLimits.MaxSdpMLineIndex);

    private static CallSignalError Done(CallSignal made, out CallSignal? signal)
    {
        signal = made;
        return CallSignalError.None;
    }
}
