namespace Parley.Client.Calls;

/// <summary>The kinds of call signal (the <c>t</c> field).</summary>
public enum CallSignalType
{
    /// <summary>Caller → callee: SDP offer; also either side's ICE-restart re-offer (<c>restart</c>).</summary>
    Offer,

    /// <summary>Answer to a re-offer during a call.</summary>
    Answer,

    /// <summary>Trickled ICE candidates.</summary>
    Ice,

    /// <summary>Callee → caller: the offer arrived and the callee's device is ringing.</summary>
    Ringing,

    /// <summary>Callee → caller: the user accepted; carries the SDP answer.</summary>
    Accept,

    /// <summary>Callee → caller: the user declined.</summary>
    Decline,

    /// <summary>Callee → caller: already in another call.</summary>
    Busy,

    /// <summary>Either side ends the call (or the caller cancels it).</summary>
    Hangup,
}

/// <summary>Audio only, or audio and video.</summary>
public enum CallMedia
{
    /// <summary>Voice call.</summary>
    Audio,

    /// <summary>Video call (with audio).</summary>
    Video,
}

/// <summary>Why a hangup was sent.</summary>
public enum HangupReason
{
    /// <summary>The user hung up.</summary>
    Normal,

    /// <summary>The caller cancelled before the callee accepted.</summary>
    Cancelled,

    /// <summary>Nobody accepted within <see cref="CallLimits.RingTimeout"/>.</summary>
    NoAnswer,

    /// <summary>Media could not be set up or was lost for good.</summary>
    Failed,

    /// <summary>The media's DTLS fingerprint differed from the signalled one.</summary>
    Security,
}

/// <summary>
/// One call signal: what travels, end-to-end encrypted, between the two clients of a call
/// (docs/PROTOCOL.md 10B.2). Signals are not secrets, but SDP carries ICE credentials, so
/// <see cref="object.ToString"/> never prints it.
/// </summary>
public abstract class CallSignal
{
    private protected CallSignal(CallId callId) => CallId = callId;

    /// <summary>The call this signal belongs to.</summary>
    public CallId CallId { get; }

    /// <summary>The signal's kind.</summary>
    public abstract CallSignalType Type { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Type} {CallId}";
}

/// <summary>A signal carrying a session description and the DTLS fingerprint in it.</summary>
public abstract class SessionDescriptionSignal : CallSignal
{
    private protected SessionDescriptionSignal(CallId callId, string sdp, DtlsFingerprint fingerprint)
        : base(callId)
    {
        Sdp = sdp;
        Fingerprint = fingerprint;
    }

    /// <summary>The SDP (ASCII, CRLF line ends), with exactly this fingerprint in its <c>a=fingerprint</c> lines.</summary>
    public string Sdp { get; }

    /// <summary>The sender's DTLS certificate fingerprint.</summary>
    public DtlsFingerprint Fingerprint { get; }
}

/// <summary>An SDP offer: a new call, or (with <see cref="Restart"/>) an ICE restart within one.</summary>
public sealed class CallOffer(CallId callId, CallMedia media, string sdp, DtlsFingerprint fingerprint, bool restart = false)
    : SessionDescriptionSignal(callId, sdp, fingerprint)
{
    /// <inheritdoc />
    public override CallSignalType Type => CallSignalType.Offer;

    /// <summary>Voice or video.</summary>
    public CallMedia Media { get; } = media;

    /// <summary>Whether this re-offers an existing call (ICE restart) rather than starting one.</summary>
    public bool Restart { get; } = restart;
}

/// <summary>The callee's acceptance with its SDP answer.</summary>
public sealed class CallAccept(CallId callId, string sdp, DtlsFingerprint fingerprint) : SessionDescriptionSignal(callId, sdp, fingerprint)
{
    /// <inheritdoc />
    public override CallSignalType Type => CallSignalType.Accept;
}

/// <summary>The SDP answer to a re-offer.</summary>
public sealed class CallAnswer(CallId callId, string sdp, DtlsFingerprint fingerprint) : SessionDescriptionSignal(callId, sdp, fingerprint)
{
    /// <inheritdoc />
    public override CallSignalType Type => CallSignalType.Answer;
}

/// <summary>One ICE candidate as RTCIceCandidateInit has it; an empty <see cref="Candidate"/> ends the candidates.</summary>
/// <param name="Candidate">The <c>candidate:…</c> line, or empty for end-of-candidates.</param>
/// <param name="SdpMid">The media stream id, if any.</param>
/// <param name="SdpMLineIndex">The m-line index, if any.</param>
public sealed record IceCandidate(string Candidate, string? SdpMid, int? SdpMLineIndex);

/// <summary>Trickled ICE candidates.</summary>
public sealed class CallIceCandidates(CallId callId, IReadOnlyList<IceCandidate> candidates) : CallSignal(callId)
{
    /// <inheritdoc />
    public override CallSignalType Type => CallSignalType.Ice;

    /// <summary>One to <see cref="CallLimits.MaxCandidatesPerSignal"/> candidates.</summary>
    public IReadOnlyList<IceCandidate> Candidates { get; } = candidates;
}

/// <summary>A signal that is only its kind: ringing, decline or busy.</summary>
public sealed class CallNotice : CallSignal
{
    /// <summary>Creates a ringing, decline or busy signal.</summary>
    public CallNotice(CallId callId, CallSignalType type)
        : base(callId)
    {
        if (type is not (CallSignalType.Ringing or CallSignalType.Decline or CallSignalType.Busy))
        {
            throw new ArgumentOutOfRangeException(nameof(type), "A notice is ringing, decline or busy.");
        }
        Type = type;
    }

    /// <inheritdoc />
    public override CallSignalType Type { get; }
}

/// <summary>Ends a call (or cancels it before it was accepted).</summary>
public sealed class CallHangup(CallId callId, HangupReason reason) : CallSignal(callId)
{
    /// <inheritdoc />
    public override CallSignalType Type => CallSignalType.Hangup;

    /// <summary>Why.</summary>
    public HangupReason Reason { get; } = reason;
}
