namespace Parley.Client.Calls;

/// <summary>What a <see cref="CallUpdate"/> tells the user interface (and the browser doing the media).</summary>
public enum CallUpdateKind
{
    /// <summary>The call changed state (<see cref="CallUpdate.Snapshot"/>).</summary>
    State,

    /// <summary>Apply the contact's offer, accept or answer (<see cref="CallUpdate.Description"/>) with setRemoteDescription.</summary>
    RemoteDescription,

    /// <summary>Add the contact's ICE candidates (<see cref="CallUpdate.Candidates"/>).</summary>
    RemoteCandidates,

    /// <summary>Media was lost: the caller creates an ICE-restart offer.</summary>
    RestartIce,

    /// <summary>Glare: this side's call lost to the contact's, which rings here; accept it at once.</summary>
    AnswerAutomatically,

    /// <summary>A finished call (or a missed one that never rang: expired, refused, while busy) is now in the conversation's history: <see cref="CallUpdate.Record"/>.</summary>
    Recorded,
}

/// <summary>One thing that happened to a call, as <see cref="ClientEventKind.Call"/> events carry it.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="CallId">The call.</param>
/// <param name="Snapshot">For <see cref="CallUpdateKind.State"/>: the call's new view.</param>
/// <param name="Description">For <see cref="CallUpdateKind.RemoteDescription"/>: the contact's session description.</param>
/// <param name="Candidates">For <see cref="CallUpdateKind.RemoteCandidates"/>: the contact's candidates.</param>
/// <param name="Record">For <see cref="CallUpdateKind.Recorded"/>: the history record, as stored.</param>
public sealed record CallUpdate(
    CallUpdateKind Kind, CallId CallId, CallSnapshot? Snapshot = null, SessionDescriptionSignal? Description = null,
    IReadOnlyList<IceCandidate>? Candidates = null, CallRecord? Record = null)
{
    /// <summary>Whether this update only drives the media (descriptions, candidates): worth nothing once the call is over.</summary>
    public bool IsMedia => Kind is CallUpdateKind.RemoteDescription or CallUpdateKind.RemoteCandidates or CallUpdateKind.RestartIce or CallUpdateKind.AnswerAutomatically;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {CallId}"; // never the SDP (it carries ICE credentials)
}
