namespace Parley.Client.Calls;

/// <summary>
/// What a new (non-restart) offer does to the machine: duplicate, refused (untrusted), missed
/// (expired), busy, glare, or ringing. Runs under the machine's lock.
/// </summary>
/// <remarks>
/// Glare: both contacts called each other at once, so each holds an outgoing call to the other and
/// receives the other's offer. The call whose id is smaller (as an unsigned 128-bit big-endian number,
/// i.e. the smaller hex text) wins on both sides. The side whose own call lost drops it silently
/// (state <see cref="CallEndReason.Superseded"/>, no history record) and takes the winner's call as
/// an incoming call to be answered at once (<see cref="AnswerAutomatically"/>) — its user had already
/// asked to talk to this contact. The side whose call won ignores the losing offer and waits for the
/// accept.
/// </remarks>
internal readonly struct IncomingOffer(CallStateMachine machine, string peer, bool peerTrusted, CallOffer offer, DateTimeOffset serverTime)
{
    public SignalDisposition Handle()
    {
        if (!machine.Remember(offer.CallId))
        {
            return SignalDisposition.Duplicate;
        }
        var now = machine.Now;
        var age = serverTime < now ? now - serverTime : TimeSpan.Zero;
        if (!peerTrusted)
        {
            Missed(CallEndReason.UntrustedIdentity, now);
            return SignalDisposition.Refused;
        }
        if (age >= CallLimits.OfferTtl)
        {
            Missed(CallEndReason.Expired, now);
            return SignalDisposition.Applied;
        }
        var glare = false;
        if (machine.Call is { } current)
        {
            if (current.State != CallState.Outgoing || !string.Equals(current.Peer, peer, StringComparison.Ordinal))
            {
                machine.Emit(new SendCallSignal(peer, new CallNotice(offer.CallId, CallSignalType.Busy)));
                Missed(CallEndReason.Busy, now);
                return SignalDisposition.Applied;
            }
            if (current.Id < offer.CallId)
            {
                return SignalDisposition.Ignored; // our call wins the glare; theirs is dropped on their side too
            }
            machine.End(CallEndReason.Superseded);
            glare = true;
        }
        Ring(now, age, glare);
        return SignalDisposition.Applied;
    }

    private void Ring(DateTimeOffset now, TimeSpan age, bool glare)
    {
        var ringing = new ActiveCall(offer.CallId, peer, CallDirection.Incoming, offer.Media, now) { RemoteFingerprint = offer.Fingerprint };
        machine.Call = ringing;
        machine.Emit(new ApplyRemoteDescription(offer.CallId, offer));
        machine.Emit(new SendCallSignal(peer, new CallNotice(offer.CallId, CallSignalType.Ringing)));
        machine.Enter(CallState.Incoming, CallLimits.RingTimeout - age);
        if (glare)
        {
            machine.Emit(new AnswerAutomatically(offer.CallId));
        }
    }

    private void Missed(CallEndReason reason, DateTimeOffset now) =>
        machine.Emit(new CallFinished(new CallRecord(offer.CallId, peer, CallRecordKind.Missed, offer.Media, reason,
            serverTime < now ? serverTime : now, null, now)));
}
