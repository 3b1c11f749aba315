namespace Parley.Client.Calls;

/// <summary>
/// What a signal for the current call does in each state; anything unexpected is ignored (false) and
/// changes nothing. Runs under the machine's lock.
/// </summary>
internal readonly struct InCallSignal(CallStateMachine machine, ActiveCall call, CallSignal signal)
{
    public bool Handle() => signal switch
    {
        CallNotice { Type: CallSignalType.Ringing } => Ringing(),
        CallNotice { Type: CallSignalType.Decline } => EndOutgoing(CallEndReason.RemoteDeclined),
        CallNotice { Type: CallSignalType.Busy } => EndOutgoing(CallEndReason.RemoteBusy),
        CallAccept accept => Accepted(accept),
        CallOffer { Restart: true } reoffer => Reoffered(reoffer),
        CallAnswer answer => Answered(answer),
        CallIceCandidates ice => Candidates(ice),
        CallHangup hangup => HungUp(hangup),
        _ => false,
    };

    private bool Ringing()
    {
        if (call.State != CallState.Outgoing || call.PeerRinging)
        {
            return false;
        }
        call.PeerRinging = true;
        machine.Emit(new CallStateChanged(call.Snapshot()));
        return true;
    }

    private bool EndOutgoing(CallEndReason reason)
    {
        if (call.State != CallState.Outgoing)
        {
            return false;
        }
        machine.End(reason);
        return true;
    }

    private bool Accepted(CallAccept accept)
    {
        if (call.State != CallState.Outgoing)
        {
            return false;
        }
        call.Accepted = true;
        call.RemoteFingerprint = accept.Fingerprint;
        machine.Emit(new ApplyRemoteDescription(call.Id, accept));
        machine.Enter(CallState.Connecting, CallLimits.ConnectTimeout);
        machine.FlushCandidates(call);
        return true;
    }

    /// <summary>The caller restarts ICE; its certificate (and so its fingerprint) must not change.</summary>
    private bool Reoffered(CallOffer reoffer)
    {
        if (!call.IsLive || call.Direction != CallDirection.Incoming)
        {
            return false;
        }
        if (!reoffer.Fingerprint.Equals(call.RemoteFingerprint))
        {
            machine.End(CallEndReason.SecurityError, HangupReason.Security);
            return true;
        }
        call.AnswerOwed = true;
        machine.Emit(new ApplyRemoteDescription(call.Id, reoffer));
        return true;
    }

    private bool Answered(CallAnswer answer)
    {
        if (!call.IsLive || call.Direction != CallDirection.Outgoing)
        {
            return false;
        }
        if (!answer.Fingerprint.Equals(call.RemoteFingerprint))
        {
            machine.End(CallEndReason.SecurityError, HangupReason.Security);
            return true;
        }
        machine.Emit(new ApplyRemoteDescription(call.Id, answer));
        return true;
    }

    private bool Candidates(CallIceCandidates ice)
    {
        if (call.IsLive)
        {
            machine.Emit(new AddRemoteCandidates(call.Id, ice.Candidates));
            return true;
        }
        return call.Buffer(ice.Candidates); // before the accept: held, within a bound
    }

    private bool HungUp(CallHangup hangup)
    {
        var reason = (call.State, hangup.Reason) switch
        {
            (_, HangupReason.Security) => CallEndReason.SecurityError,
            (CallState.Incoming, HangupReason.NoAnswer) => CallEndReason.NoAnswer,
            (CallState.Incoming, _) => CallEndReason.RemoteCancelled,
            (CallState.Outgoing, _) => CallEndReason.RemoteDeclined,
            (_, HangupReason.Failed) => call.ConnectedAt is null ? CallEndReason.Failed : CallEndReason.ConnectionLost,
            _ => CallEndReason.RemoteHangup,
        };
        machine.End(reason);
        return true;
    }
}
