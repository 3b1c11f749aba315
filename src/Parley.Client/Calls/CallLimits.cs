namespace Parley.Client.Calls;

/// <summary>
/// Every limit and timeout of calls, named once (docs/PROTOCOL.md 10B). Sizes are checked before any
/// parsing; timeouts are measured on the injected <see cref="TimeProvider"/>.
/// </summary>
public static class CallLimits
{
    /// <summary>Largest serialized signal accepted (bytes of the protobuf <c>Call</c> body).</summary>
    public const int MaxSignalBytes = 64 * 1024;

    /// <summary>Largest SDP accepted in an offer, accept or answer (ASCII characters).</summary>
    public const int MaxSdpLength = 32 * 1024;

    /// <summary>Most ICE candidates in one <c>ice</c> signal.</summary>
    public const int MaxCandidatesPerSignal = 32;

    /// <summary>Longest candidate line (<c>candidate:…</c>), in characters.</summary>
    public const int MaxCandidateLength = 512;

    /// <summary>Longest media stream id (<c>sdpMid</c>).</summary>
    public const int MaxSdpMidLength = 32;

    /// <summary>Largest m-line index (<c>sdpMLineIndex</c>).</summary>
    public const int MaxSdpMLineIndex = 63;

    /// <summary>Most remote candidates held while a call is not yet connecting (they arrive before the accept).</summary>
    public const int MaxBufferedCandidates = 128;

    /// <summary>Call ids remembered so a replayed or repeated offer never rings twice.</summary>
    public const int MaxRememberedCallIds = 256;

    /// <summary>How long an outgoing call rings before the caller gives up, and how long a callee rings.</summary>
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An offer older than this (by the server's timestamp on delivery) is not rung but recorded as a
    /// missed call: the caller has given up by then.
    /// </summary>
    public static readonly TimeSpan OfferTtl = TimeSpan.FromSeconds(60);

    /// <summary>From accept to connected media; longer ends the call as failed.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a connected call may try to restore lost media (ICE restart) before it ends.</summary>
    public static readonly TimeSpan IceRestartTimeout = TimeSpan.FromSeconds(15);
}
