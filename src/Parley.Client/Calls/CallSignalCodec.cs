using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Proto = Parley.Client.Messaging.Proto;

namespace Parley.Client.Calls;

/// <summary>Why a received signal was rejected. No rejection changes any state.</summary>
public enum CallSignalError
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Over <see cref="CallLimits.MaxSignalBytes"/>.</summary>
    TooLarge,

    /// <summary>Not a protobuf <c>Call</c>, or a required part (such as the description) missing.</summary>
    Malformed,

    /// <summary>No signal, or one this client does not know.</summary>
    UnknownType,

    /// <summary>The call id is not 16 bytes.</summary>
    BadCallId,

    /// <summary>The media is neither audio nor video.</summary>
    BadMedia,

    /// <summary>The SDP is too long, not printable ASCII with CRLF line ends, or does not start with <c>v=0</c>.</summary>
    BadSdp,

    /// <summary>The fingerprint is not a <c>sha-256</c> fingerprint.</summary>
    BadFingerprint,

    /// <summary>The SDP's <c>a=fingerprint</c> lines are missing or differ from the signalled fingerprint.</summary>
    FingerprintMismatch,

    /// <summary>A candidate is too long, not printable ASCII, or has a bad mid or m-line index.</summary>
    BadCandidate,

    /// <summary>No candidates, or more than <see cref="CallLimits.MaxCandidatesPerSignal"/>.</summary>
    TooManyCandidates,

    /// <summary>The hangup reason or notice kind is not one this client knows.</summary>
    BadReason,
}

/// <summary>
/// Call signals to and from the protobuf <c>Call</c> body of a <c>Content</c> (docs/PROTOCOL.md 10B.2,
/// Messaging/Protos/content.proto). The reader checks the size first, then every field, and reports a
/// typed <see cref="CallSignalError"/>; it never throws on input.
/// </summary>
public static class CallSignalCodec
{
    /// <summary>The protobuf body carrying <paramref name="signal"/>.</summary>
    public static Proto.Call ToProto(CallSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var call = new Proto.Call { CallId = ByteString.CopyFrom(IdBytes(signal.CallId)) };
        switch (signal)
        {
            case CallOffer offer:
                call.Offer = new Proto.Call.Types.Offer
                {
                    Media = offer.Media == CallMedia.Video ? Proto.Call.Types.Media.Video : Proto.Call.Types.Media.Audio,
                    Description = Description(offer), Restart = offer.Restart,
                };
                break;
            case CallAccept accept:
                call.Accept = Description(accept);
                break;
            case CallAnswer answer:
                call.Answer = Description(answer);
                break;
            case CallIceCandidates ice:
                call.Ice = new Proto.Call.Types.Candidates();
                call.Ice.Candidates_.AddRange(ice.Candidates.Select(Candidate));
                break;
            case CallNotice notice:
                call.Notice = new Proto.Call.Types.Notice { Kind = NoticeKinds.First(k => k.Type == notice.Type).Kind };
                break;
            case CallHangup hangup:
                call.Hangup = new Proto.Call.Types.Hangup { Reason = Reasons.First(r => r.Reason == hangup.Reason).Proto };
                break;
        }
        return call;
    }

    /// <summary>The signal in a received body, every field checked.</summary>
    public static bool TryFromProto(Proto.Call call, [NotNullWhen(true)] out CallSignal? signal, out CallSignalError error)
    {
        ArgumentNullException.ThrowIfNull(call);
        signal = null;
        if (call.CalculateSize() > CallLimits.MaxSignalBytes)
        {
            error = CallSignalError.TooLarge;
            return false;
        }
        error = CallSignalReader.Read(call, out signal);
        return error == CallSignalError.None;
    }

    /// <summary>A signal's serialized <c>Call</c> body (what tests and the fuzzer feed back to <see cref="TryParse"/>).</summary>
    public static byte[] Write(CallSignal signal) => ToProto(signal).ToByteArray();

    /// <summary>Parses a serialized <c>Call</c> body; hostile input gives false and a typed error, never an exception.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out CallSignal? signal, out CallSignalError error)
    {
        signal = null;
        if (bytes.Length > CallLimits.MaxSignalBytes)
        {
            error = CallSignalError.TooLarge;
            return false;
        }
        Proto.Call call;
        try
        {
            call = Proto.Call.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            error = CallSignalError.Malformed;
            return false;
        }
        return TryFromProto(call, out signal, out error);
    }

    internal static readonly (CallSignalType Type, Proto.Call.Types.Notice.Types.Kind Kind)[] NoticeKinds =
    [
        (CallSignalType.Ringing, Proto.Call.Types.Notice.Types.Kind.Ringing),
        (CallSignalType.Decline, Proto.Call.Types.Notice.Types.Kind.Decline),
        (CallSignalType.Busy, Proto.Call.Types.Notice.Types.Kind.Busy),
    ];

    internal static readonly (HangupReason Reason, Proto.Call.Types.Hangup.Types.Reason Proto)[] Reasons =
    [
        (HangupReason.Normal, Proto.Call.Types.Hangup.Types.Reason.Normal),
        (HangupReason.Cancelled, Proto.Call.Types.Hangup.Types.Reason.Cancelled),
        (HangupReason.NoAnswer, Proto.Call.Types.Hangup.Types.Reason.NoAnswer),
        (HangupReason.Failed, Proto.Call.Types.Hangup.Types.Reason.Failed),
        (HangupReason.Security, Proto.Call.Types.Hangup.Types.Reason.Security),
    ];

    internal static byte[] IdBytes(CallId id)
    {
        var bytes = new byte[CallId.ByteLength];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, id.Value);
        return bytes;
    }

    private static Proto.Call.Types.Description Description(SessionDescriptionSignal signal) =>
        new() { Sdp = signal.Sdp, Fingerprint = signal.Fingerprint.ToString() };

    private static Proto.Call.Types.Candidate Candidate(IceCandidate candidate)
    {
        var proto = new Proto.Call.Types.Candidate { Candidate_ = candidate.Candidate };
        if (candidate.SdpMid is not null)
        {
            proto.SdpMid = candidate.SdpMid;
        }
        if (candidate.SdpMLineIndex is { } index)
        {
            proto.SdpMLineIndex = (uint)index;
        }
        return proto;
    }
}
