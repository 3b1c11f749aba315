using System.Globalization;
using Parley.Client.Calls;

namespace Parley.Daemon.Api;

/// <summary><c>calls.start</c>: call a contact with the browser's SDP offer.</summary>
public sealed class CallStartParams : ProfileParams
{
    /// <summary>The contact.</summary>
    public required string To { get; init; }

    /// <summary><c>audio</c> or <c>video</c>.</summary>
    public required string Media { get; init; }

    /// <summary>The SDP offer (its <c>a=fingerprint</c> is this side's DTLS certificate).</summary>
    public required string Sdp { get; init; }
}

/// <summary><c>calls.accept</c>, <c>calls.decline</c>, <c>calls.hangup</c>: the call concerned (optional for decline and hangup: the current call).</summary>
public sealed class CallParams : ProfileParams
{
    /// <summary>The call id (32 hex digits), or null for the current call.</summary>
    public string? Call { get; init; }

    /// <summary><c>calls.accept</c>: the SDP answer.</summary>
    public string? Sdp { get; init; }
}

/// <summary><c>calls.signal</c>: what the browser's peer connection reports or sends.</summary>
public sealed class CallSignalParams : ProfileParams
{
    /// <summary>The call id.</summary>
    public required string Call { get; init; }

    /// <summary><c>candidates</c>, <c>connected</c>, <c>lost</c>, <c>failed</c>, <c>offer</c> (ICE-restart re-offer) or <c>answer</c> (to a re-offer).</summary>
    public required string Kind { get; init; }

    /// <summary>For <c>candidates</c>: 1 to 32 local candidates.</summary>
    public IReadOnlyList<CandidateView>? Candidates { get; init; }

    /// <summary>For <c>connected</c>: the remote certificate's fingerprint from getStats (<c>sha-256 AB:CD:…</c>).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>For <c>offer</c> and <c>answer</c>: the SDP.</summary>
    public string? Sdp { get; init; }
}

/// <summary>One ICE candidate, as RTCIceCandidateInit has it.</summary>
public sealed class CandidateView
{
    /// <summary>The <c>candidate:…</c> line, or empty for end-of-candidates.</summary>
    public required string Candidate { get; init; }

    /// <summary>The media stream id.</summary>
    public string? SdpMid { get; init; }

    /// <summary>The m-line index.</summary>
    public int? SdpMLineIndex { get; init; }

    internal IceCandidate ToCandidate() => new(Candidate, SdpMid, SdpMLineIndex);

    internal static CandidateView From(IceCandidate c) => new() { Candidate = c.Candidate, SdpMid = c.SdpMid, SdpMLineIndex = c.SdpMLineIndex };
}

/// <summary>
/// A call, or one thing that happened to it: the <c>call</c> object of <c>call</c> events,
/// <c>calls.start</c>, <c>calls.current</c> and of history entries that are calls.
/// </summary>
public sealed class CallView
{
    /// <summary>The call id.</summary>
    public required string Id { get; init; }

    /// <summary>Events: <c>state</c>, <c>description</c>, <c>candidates</c>, <c>restart-ice</c>, <c>answer-now</c> or <c>recorded</c>.</summary>
    public string? Update { get; init; }

    /// <summary><c>outgoing</c>, <c>incoming</c>, <c>connecting</c>, <c>connected</c>, <c>reconnecting</c> or <c>ended</c>.</summary>
    public string? State { get; init; }

    /// <summary><c>out</c> or <c>in</c>.</summary>
    public string? Direction { get; init; }

    /// <summary><c>audio</c> or <c>video</c>.</summary>
    public string? Media { get; init; }

    /// <summary>Outgoing calls: the callee's device rings.</summary>
    public bool? PeerRinging { get; init; }

    /// <summary>Ended calls and records: why (e.g. <c>remote-hangup</c>, <c>declined</c>, <c>security-error</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>When media first connected (ISO 8601).</summary>
    public string? ConnectedAt { get; init; }

    /// <summary><c>description</c>: <c>offer</c> or <c>answer</c> (for setRemoteDescription).</summary>
    public string? SdpType { get; init; }

    /// <summary><c>description</c> and <c>calls.current</c> (ringing): the contact's SDP.</summary>
    public string? Sdp { get; init; }

    /// <summary><c>description</c>: the contact's DTLS fingerprint as signalled (the one getStats must show).</summary>
    public string? Fingerprint { get; init; }

    /// <summary><c>candidates</c>: the contact's candidates.</summary>
    public IReadOnlyList<CandidateView>? Candidates { get; init; }

    /// <summary><c>calls.current</c>: whether the contact's safety number was verified (and their key has not changed since).</summary>
    public bool? Verified { get; init; }

    /// <summary><c>calls.current</c> once media connected: the six digits both sides read aloud (<c>042 917</c>, PROTOCOL.md 10B.5).</summary>
    public string? ShortCode { get; init; }

    /// <summary>Records: <c>outgoing</c>, <c>incoming</c> or <c>missed</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>Records: seconds with media connected.</summary>
    public long? Duration { get; init; }

    /// <summary>The state view of a call (<paramref name="verified"/> and <paramref name="shortCode"/> for <c>calls.current</c>).</summary>
    public static CallView From(CallSnapshot s, string? update = null, bool? verified = null, string? shortCode = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new CallView
        {
            Id = s.CallId.ToString(), Update = update, State = Name(s.State.ToString()), Direction = s.Direction == CallDirection.Outgoing ? "out" : "in",
            Media = s.Media == CallMedia.Video ? "video" : "audio", PeerRinging = s.Direction == CallDirection.Outgoing ? s.PeerRinging : null,
            Reason = s.EndReason is { } r ? Name(r.ToString()) : null,
            ConnectedAt = s.ConnectedAt?.ToString("O", CultureInfo.InvariantCulture), Verified = verified, ShortCode = shortCode,
        };
    }

    /// <summary>The view of a history record.</summary>
    public static CallView From(CallRecord r, string? update = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new CallView
        {
            Id = r.CallId.ToString(), Update = update, Kind = Name(r.Kind.ToString()), Direction = r.Kind == CallRecordKind.Outgoing ? "out" : "in",
            Media = r.Media == CallMedia.Video ? "video" : "audio", Reason = Name(r.EndReason.ToString()),
            ConnectedAt = r.ConnectedAt?.ToString("O", CultureInfo.InvariantCulture), Duration = (long)r.Duration.TotalSeconds,
        };
    }

    /// <summary>The view of a call update for the <c>call</c> event.</summary>
    public static CallView From(CallUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        return u.Kind switch
        {
            CallUpdateKind.State when u.Snapshot is { } s => From(s, "state"),
            CallUpdateKind.Recorded when u.Record is { } r => From(r, "recorded"),
            CallUpdateKind.RemoteDescription when u.Description is { } d => new CallView
            {
                Id = u.CallId.ToString(), Update = "description", SdpType = d is CallOffer ? "offer" : "answer", Sdp = d.Sdp, Fingerprint = d.Fingerprint.ToString(),
            },
            CallUpdateKind.RemoteCandidates => new CallView { Id = u.CallId.ToString(), Update = "candidates", Candidates = u.Candidates?.Select(CandidateView.From).ToList() },
            CallUpdateKind.RestartIce => new CallView { Id = u.CallId.ToString(), Update = "restart-ice" },
            _ => new CallView { Id = u.CallId.ToString(), Update = "answer-now" },
        };
    }

    /// <summary>PascalCase to kebab-case (<c>RemoteHangup</c> → <c>remote-hangup</c>).</summary>
    private static string Name(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

/// <summary><c>calls.start</c> and <c>calls.current</c>.</summary>
public sealed class CallResult
{
    /// <summary>The contact.</summary>
    public string? User { get; init; }

    /// <summary>The call, or null when there is none.</summary>
    public CallView? Call { get; init; }
}

/// <summary><c>calls.signal</c> with <c>connected</c> reports whether the fingerprint matched; other kinds answer true.</summary>
public sealed class CallSignalResult
{
    /// <summary>False when the media's fingerprint differed from the signalled one and the call ended with a security error.</summary>
    public required bool Ok { get; init; }
}

/// <summary><c>calls.turn</c>: TURN credentials for the browser's RTCPeerConnection (with <c>iceTransportPolicy: "relay"</c>).</summary>
public sealed class TurnResult
{
    /// <summary>The relay URIs (<c>turn:</c>/<c>turns:</c> only).</summary>
    public required IReadOnlyList<string> Uris { get; init; }

    /// <summary>The time-limited user name.</summary>
    public required string Username { get; init; }

    /// <summary>The HMAC credential.</summary>
    public required string Credential { get; init; }

    /// <summary>When it stops working, Unix milliseconds.</summary>
    public required long ExpiresAtMs { get; init; }
}
