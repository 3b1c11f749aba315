namespace Parley.Client.Calls;

/// <summary>Where a call is (docs/PROTOCOL.md 10B.3).</summary>
public enum CallState
{
    /// <summary>The caller sent the offer; <see cref="CallSnapshot.PeerRinging"/> tells whether the callee's device rings.</summary>
    Outgoing,

    /// <summary>An offer arrived and this device rings.</summary>
    Incoming,

    /// <summary>Accepted; ICE and DTLS are being set up.</summary>
    Connecting,

    /// <summary>Media flows and the DTLS fingerprint matched the signalled one.</summary>
    Connected,

    /// <summary>Media was lost; an ICE restart is under way for at most <see cref="CallLimits.IceRestartTimeout"/>.</summary>
    Reconnecting,

    /// <summary>Over (terminal); <see cref="CallSnapshot.EndReason"/> says why.</summary>
    Ended,
}

/// <summary>Which side placed the call.</summary>
public enum CallDirection
{
    /// <summary>This device called.</summary>
    Outgoing,

    /// <summary>The contact called.</summary>
    Incoming,
}

/// <summary>Why a call ended.</summary>
public enum CallEndReason
{
    /// <summary>This side hung up after the call was accepted.</summary>
    LocalHangup,

    /// <summary>The contact hung up after the call was accepted.</summary>
    RemoteHangup,

    /// <summary>The caller (this side) cancelled before an answer.</summary>
    Cancelled,

    /// <summary>The caller (the contact) cancelled before this side answered.</summary>
    RemoteCancelled,

    /// <summary>This side declined.</summary>
    Declined,

    /// <summary>The contact declined.</summary>
    RemoteDeclined,

    /// <summary>The contact was in another call.</summary>
    RemoteBusy,

    /// <summary>This side was in another call when the offer came.</summary>
    Busy,

    /// <summary>Nobody answered within <see cref="CallLimits.RingTimeout"/>.</summary>
    NoAnswer,

    /// <summary>The offer arrived after <see cref="CallLimits.OfferTtl"/> (shown as a missed call).</summary>
    Expired,

    /// <summary>Both sides called each other at once and the other call won the glare rule.</summary>
    Superseded,

    /// <summary>Media did not connect within <see cref="CallLimits.ConnectTimeout"/>, or failed.</summary>
    Failed,

    /// <summary>Media was lost and not restored within <see cref="CallLimits.IceRestartTimeout"/>.</summary>
    ConnectionLost,

    /// <summary>The media's DTLS fingerprint differed from the signalled one (or changed mid-call).</summary>
    SecurityError,

    /// <summary>The contact's identity key changed and was not accepted again.</summary>
    UntrustedIdentity,
}

/// <summary>An immutable view of the current call.</summary>
/// <param name="CallId">The call's id.</param>
/// <param name="Peer">The contact's username.</param>
/// <param name="Direction">Who called.</param>
/// <param name="Media">Voice or video.</param>
/// <param name="State">Where the call is.</param>
/// <param name="PeerRinging">Outgoing calls: the callee's device confirmed it rings.</param>
/// <param name="StartedAt">When the call was placed (outgoing) or arrived (incoming).</param>
/// <param name="ConnectedAt">When media first connected, if it did.</param>
/// <param name="EndReason">Why it ended, when <paramref name="State"/> is <see cref="CallState.Ended"/>.</param>
public sealed record CallSnapshot(
    CallId CallId, string Peer, CallDirection Direction, CallMedia Media, CallState State, bool PeerRinging,
    DateTimeOffset StartedAt, DateTimeOffset? ConnectedAt, CallEndReason? EndReason);
