namespace Parley.Client.Calls;

/// <summary>
/// What the state machine asks its owner to do, in order: send a signal (end-to-end encrypted) to the
/// contact, hand descriptions and candidates to the media layer (the browser's RTCPeerConnection),
/// restart ICE, show a state change, store a history record.
/// </summary>
public abstract record CallEffect;

/// <summary>Send <paramref name="Signal"/> to <paramref name="Peer"/> through the encrypted channel.</summary>
/// <param name="Peer">The contact's username.</param>
/// <param name="Signal">The signal.</param>
public sealed record SendCallSignal(string Peer, CallSignal Signal) : CallEffect;

/// <summary>The call changed state (or ended).</summary>
/// <param name="Call">The new view of the call.</param>
public sealed record CallStateChanged(CallSnapshot Call) : CallEffect;

/// <summary>Apply the contact's session description (setRemoteDescription).</summary>
/// <param name="CallId">The call.</param>
/// <param name="Description">The contact's offer, accept or answer.</param>
public sealed record ApplyRemoteDescription(CallId CallId, SessionDescriptionSignal Description) : CallEffect;

/// <summary>Add the contact's ICE candidates (addIceCandidate), in order.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Candidates">The candidates.</param>
public sealed record AddRemoteCandidates(CallId CallId, IReadOnlyList<IceCandidate> Candidates) : CallEffect
{
    /// <inheritdoc />
    public override string ToString() => $"{nameof(AddRemoteCandidates)} {CallId} ({Candidates.Count})";
}

/// <summary>Media was lost and this side (the caller) restarts ICE: create an offer with iceRestart and pass it to <see cref="CallStateMachine.SendOffer"/>.</summary>
/// <param name="CallId">The call.</param>
public sealed record RestartIce(CallId CallId) : CallEffect;

/// <summary>
/// Glare: this side's own call lost to the contact's simultaneous call, which is now ringing here;
/// accept it at once (without ringing) — the user already asked to talk to this contact.
/// </summary>
/// <param name="CallId">The contact's call, now <see cref="CallState.Incoming"/>.</param>
public sealed record AnswerAutomatically(CallId CallId) : CallEffect;

/// <summary>The call is over: store this record in the conversation's history.</summary>
/// <param name="Record">The history record.</param>
public sealed record CallFinished(CallRecord Record) : CallEffect;
