namespace Parley.Client.Calls;

/// <summary>
/// What this side's media layer (the browser) reports or sends during the current call: trickled
/// candidates, the caller's ICE-restart re-offer and the callee's answer to it, the transport
/// connected (with the remote certificate fingerprint check), lost, failed. Anything that does not
/// fit the call's state is refused (false) and changes nothing. Runs under the machine's lock.
/// </summary>
internal readonly struct LocalMedia(CallStateMachine machine)
{
    public bool SendCandidates(IReadOnlyList<IceCandidate> candidates)
    {
        if (machine.Call is not { } call || candidates.Count == 0)
        {
            return false;
        }
        foreach (var chunk in candidates.Chunk(CallLimits.MaxCandidatesPerSignal))
        {
            machine.Emit(new SendCallSignal(call.Peer, new CallIceCandidates(call.Id, chunk)));
        }
        return true;
    }

    public bool SendOffer(string sdp, DtlsFingerprint localFingerprint)
    {
        if (machine.Call is not { IsLive: true, Direction: CallDirection.Outgoing } live || !localFingerprint.Equals(live.LocalFingerprint))
        {
            return false;
        }
        machine.Emit(new SendCallSignal(live.Peer, new CallOffer(live.Id, live.Media, sdp, localFingerprint, restart: true)));
        return true;
    }

    public bool SendAnswer(string sdp, DtlsFingerprint localFingerprint)
    {
        if (machine.Call is not { IsLive: true, AnswerOwed: true } live || !localFingerprint.Equals(live.LocalFingerprint))
        {
            return false;
        }
        live.AnswerOwed = false;
        machine.Emit(new SendCallSignal(live.Peer, new CallAnswer(live.Id, sdp, localFingerprint)));
        return true;
    }

    /// <summary>The transport connected: the call is connected only if the media's fingerprint is the signalled one.</summary>
    public bool Connected(DtlsFingerprint remoteFingerprint)
    {
        if (machine.Call is not { State: CallState.Connecting or CallState.Reconnecting } live)
        {
            return false;
        }
        if (!remoteFingerprint.Equals(live.RemoteFingerprint))
        {
            machine.End(CallEndReason.SecurityError, HangupReason.Security);
            return true;
        }
        live.ConnectedAt ??= machine.Now;
        machine.Enter(CallState.Connected, null);
        return true;
    }

    public bool Lost()
    {
        if (machine.Call is not { State: CallState.Connected } live)
        {
            return false;
        }
        machine.Enter(CallState.Reconnecting, CallLimits.IceRestartTimeout);
        if (live.Direction == CallDirection.Outgoing)
        {
            machine.Emit(new RestartIce(live.Id)); // only the caller re-offers, so restarts never collide
        }
        return true;
    }

    public bool Failed()
    {
        if (machine.Call is not { IsLive: true } live)
        {
            return false;
        }
        machine.End(live.ConnectedAt is null ? CallEndReason.Failed : CallEndReason.ConnectionLost, HangupReason.Failed);
        return true;
    }
}
