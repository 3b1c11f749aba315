using Parley.Client.Calls;

namespace Parley.Client.Tests.Calls;

/// <summary>
/// Alice and Bob call each other through the state machine, signals serialized and parsed on the way,
/// on a fake clock: every path of docs/PROTOCOL.md 10B.3, each timeout at its limit and one tick past.
/// </summary>
public sealed class CallScenarios : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private readonly CallLine line = new();

    private CallSide Alice => line.Alice;

    private CallSide Bob => line.Bob;

    [Fact]
    public void A_call_rings_is_accepted_connects_and_the_caller_hangs_up()
    {
        var id = Alice.Call(Bob);
        Assert.Equal(CallState.Outgoing, Alice.State);
        Assert.False(Alice.Machine.Current!.PeerRinging);
        line.Deliver(Alice, Bob);
        Assert.Equal(CallState.Incoming, Bob.State);
        Assert.Contains(Bob.Effects, e => e is ApplyRemoteDescription { Description: CallOffer });
        line.Deliver(Bob, Alice);
        Assert.True(Alice.Machine.Current!.PeerRinging);

        line.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(Bob.Machine.Accept(Bob.Sdp, Bob.Fingerprint));
        Assert.Equal(CallState.Connecting, Bob.State);
        line.Deliver(Bob, Alice);
        Assert.Equal(CallState.Connecting, Alice.State);
        Assert.Contains(Alice.Effects, e => e is ApplyRemoteDescription { Description: CallAccept });
        Assert.True(Alice.Machine.MediaConnected(Bob.Fingerprint));
        Assert.True(Bob.Machine.MediaConnected(Alice.Fingerprint));

        line.Clock.Advance(TimeSpan.FromSeconds(187.4));
        Assert.True(Alice.Machine.HangUp());
        line.Deliver(Alice, Bob);
        Assert.Null(Alice.State);
        Assert.Null(Bob.State);
        var outgoing = Assert.Single(Alice.Records);
        var incoming = Assert.Single(Bob.Records);
        Assert.Equal((id, CallRecordKind.Outgoing, CallEndReason.LocalHangup), (outgoing.CallId, outgoing.Kind, outgoing.EndReason));
        Assert.Equal((id, CallRecordKind.Incoming, CallEndReason.RemoteHangup), (incoming.CallId, incoming.Kind, incoming.EndReason));
        Assert.Equal(TimeSpan.FromSeconds(187), outgoing.Duration);
        Assert.Equal("Outgoing video call, 3:07", outgoing.Describe());
        Assert.Equal("Incoming video call, 3:07", incoming.Describe());
    }

    [Fact]
    public void The_callee_hangs_up()
    {
        line.Connect();
        Assert.True(Bob.Machine.HangUp());
        line.Deliver(Bob, Alice);
        Assert.Equal(CallEndReason.RemoteHangup, Assert.Single(Alice.Records).EndReason);
        Assert.Equal(CallEndReason.LocalHangup, Assert.Single(Bob.Records).EndReason);
    }

    [Fact]
    public void A_declined_call_ends_on_both_sides()
    {
        Alice.Call(Bob, CallMedia.Audio);
        line.Settle();
        Assert.True(Bob.Machine.Decline());
        line.Settle();
        Assert.Equal(CallEndReason.RemoteDeclined, Assert.Single(Alice.Records).EndReason);
        var record = Assert.Single(Bob.Records);
        Assert.Equal((CallRecordKind.Incoming, CallEndReason.Declined), (record.Kind, record.EndReason));
        Assert.Equal("Incoming voice call (declined)", record.Describe());
        Assert.Equal("Outgoing voice call (declined)", Alice.Records.Single().Describe());
    }

    [Fact]
    public void A_callee_already_in_a_call_answers_busy_and_sees_a_missed_call()
    {
        using var carol = new CallSide("carol", line.Clock);
        line.Connect();
        Assert.Equal(CallStartResult.Busy, Alice.Machine.Start("carol", true, CallMedia.Audio, Alice.Sdp, Alice.Fingerprint, out _));
        Assert.Equal(CallStartResult.Started, carol.Machine.Start("bob", true, CallMedia.Audio, carol.Sdp, carol.Fingerprint, out var carolCall));
        var offer = (CallOffer)carol.Sent.Single().Signal;

        Assert.Equal(SignalDisposition.Applied, Bob.Machine.Receive("carol", true, offer, line.Clock.GetUtcNow()));
        Assert.Equal(CallState.Connected, Bob.State); // the call in progress is untouched
        var busy = Bob.Sent.Last();
        Assert.Equal(("carol", CallSignalType.Busy, carolCall), (busy.Peer, busy.Signal.Type, busy.Signal.CallId));
        var missed = Assert.Single(Bob.Records);
        Assert.Equal((CallRecordKind.Missed, CallEndReason.Busy, "carol"), (missed.Kind, missed.EndReason, missed.Peer));

        Assert.Equal(SignalDisposition.Applied, carol.Machine.Receive("bob", true, busy.Signal, line.Clock.GetUtcNow()));
        Assert.Equal(CallEndReason.RemoteBusy, Assert.Single(carol.Records).EndReason);
    }

    [Fact]
    public void An_unanswered_call_rings_until_the_ring_timeout_and_not_one_tick_longer()
    {
        Alice.Call(Bob);
        line.Settle();
        line.Clock.Advance(CallLimits.RingTimeout - Tick);
        Assert.Equal(CallState.Outgoing, Alice.State);
        Assert.Equal(CallState.Incoming, Bob.State);

        line.Clock.Advance(Tick);
        Assert.Null(Alice.State);
        Assert.Null(Bob.State);
        Assert.Equal(CallEndReason.NoAnswer, Assert.Single(Alice.Records).EndReason);
        Assert.Equal(HangupReason.NoAnswer, Assert.IsType<CallHangup>(Alice.Sent.Last().Signal).Reason);
        var missed = Assert.Single(Bob.Records);
        Assert.Equal((CallRecordKind.Missed, CallEndReason.NoAnswer), (missed.Kind, missed.EndReason));
        Assert.Equal("Missed video call", missed.Describe());
        Assert.Equal(SignalDisposition.Ignored, line.Deliver(Alice, Bob).Single()); // the late hangup finds nothing
    }

    [Fact]
    public void The_caller_cancels_and_the_callee_sees_a_missed_call()
    {
        Alice.Call(Bob);
        line.Settle();
        Assert.True(Alice.Machine.HangUp());
        Assert.Equal(HangupReason.Cancelled, Assert.IsType<CallHangup>(Alice.Sent.Last().Signal).Reason);
        line.Settle();
        Assert.Equal(CallEndReason.Cancelled, Assert.Single(Alice.Records).EndReason);
        var missed = Assert.Single(Bob.Records);
        Assert.Equal((CallRecordKind.Missed, CallEndReason.RemoteCancelled), (missed.Kind, missed.EndReason));
    }

    [Fact]
    public void Accepting_after_the_caller_gave_up_ends_in_the_connect_timeout_or_the_callers_hangup()
    {
        Alice.Call(Bob);
        line.Settle();
        Assert.True(Alice.Machine.HangUp());
        Assert.True(Bob.Machine.Accept(Bob.Sdp, Bob.Fingerprint)); // crossed in flight
        line.Settle();
        Assert.Null(Bob.State);
        Assert.Null(Alice.State);
        Assert.Equal(CallEndReason.RemoteHangup, Bob.Records.Single().EndReason);
    }

    [Fact]
    public void Media_must_connect_within_the_connect_timeout()
    {
        Alice.Call(Bob);
        line.Settle();
        Assert.True(Bob.Machine.Accept(Bob.Sdp, Bob.Fingerprint));
        line.Deliver(Bob, Alice);
        line.Clock.Advance(CallLimits.ConnectTimeout - Tick);
        Assert.Equal(CallState.Connecting, Alice.State);
        Assert.Equal(CallState.Connecting, Bob.State);
        line.Clock.Advance(Tick);
        Assert.Null(Alice.State);
        Assert.Null(Bob.State);
        Assert.Equal(CallEndReason.Failed, Alice.Records.Single().EndReason);
        Assert.Equal("Outgoing video call (could not connect)", Alice.Records.Single().Describe());
    }

    [Fact]
    public void Lost_media_is_restarted_for_the_ice_restart_timeout_then_the_call_ends()
    {
        var id = line.Connect();
        line.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(Alice.Machine.MediaLost());
        Assert.True(Bob.Machine.MediaLost());
        Assert.Equal(CallState.Reconnecting, Alice.State);
        Assert.Contains(new RestartIce(id), Alice.Effects);
        Assert.DoesNotContain(Bob.Effects, e => e is RestartIce); // only the caller re-offers

        line.Clock.Advance(CallLimits.IceRestartTimeout - Tick);
        Assert.Equal(CallState.Reconnecting, Alice.State);
        line.Clock.Advance(Tick);
        Assert.Null(Alice.State);
        Assert.Null(Bob.State);
        var record = Alice.Records.Single();
        Assert.Equal(CallEndReason.ConnectionLost, record.EndReason);
        Assert.Equal(TimeSpan.FromSeconds(45), record.Duration); // connected until it ended
        Assert.Equal("Outgoing video call, 0:45 (connection lost)", record.Describe());
    }

    [Fact]
    public void An_ice_restart_restores_the_call()
    {
        line.Connect();
        Assert.True(Alice.Machine.MediaLost());
        Assert.True(Alice.Machine.SendOffer(Alice.Sdp, Alice.Fingerprint));
        line.Deliver(Alice, Bob);
        Assert.Contains(Bob.Effects, e => e is ApplyRemoteDescription { Description: CallOffer { Restart: true } });
        Assert.True(Bob.Machine.SendAnswer(Bob.Sdp, Bob.Fingerprint));
        Assert.False(Bob.Machine.SendAnswer(Bob.Sdp, Bob.Fingerprint)); // one answer per re-offer
        line.Deliver(Bob, Alice);
        Assert.Contains(Alice.Effects, e => e is ApplyRemoteDescription { Description: CallAnswer });
        line.Clock.Advance(CallLimits.IceRestartTimeout - Tick);
        Assert.True(Alice.Machine.MediaConnected(Bob.Fingerprint));
        Assert.Equal(CallState.Connected, Alice.State);
        line.Clock.Advance(CallLimits.IceRestartTimeout);
        Assert.Equal(CallState.Connected, Alice.State); // the restart deadline was disarmed
    }

    [Fact]
    public void Media_failure_ends_the_call_on_both_sides()
    {
        line.Connect();
        Assert.True(Bob.Machine.MediaFailed());
        line.Deliver(Bob, Alice);
        Assert.Equal(CallEndReason.ConnectionLost, Alice.Records.Single().EndReason);
        Assert.Equal(CallEndReason.ConnectionLost, Bob.Records.Single().EndReason);
    }

    [Fact]
    public void Media_whose_fingerprint_differs_from_the_signalled_one_ends_the_call_with_a_security_error()
    {
        Alice.Call(Bob);
        line.Settle();
        Assert.True(Bob.Machine.Accept(Bob.Sdp, Bob.Fingerprint));
        line.Settle();
        Assert.True(Alice.Machine.MediaConnected(TestSdp.NewFingerprint())); // a man in the middle's certificate
        Assert.Null(Alice.State);
        Assert.Equal(HangupReason.Security, Assert.IsType<CallHangup>(Alice.Sent.Last().Signal).Reason);
        line.Settle();
        Assert.Equal(CallEndReason.SecurityError, Alice.Records.Single().EndReason);
        Assert.Equal(CallEndReason.SecurityError, Bob.Records.Single().EndReason);
        Assert.Null(Alice.Records.Single().ConnectedAt);
    }

    [Fact]
    public void A_re_offer_with_another_fingerprint_ends_the_call_with_a_security_error()
    {
        var id = line.Connect();
        var stranger = TestSdp.NewFingerprint();
        var forged = new CallOffer(id, CallMedia.Video, TestSdp.For(stranger), stranger, restart: true);
        Assert.Equal(SignalDisposition.Applied, Bob.Machine.Receive("alice", true, forged, line.Clock.GetUtcNow()));
        Assert.Equal(CallEndReason.SecurityError, Bob.Records.Single().EndReason);
    }

    [Fact]
    public void An_offer_is_rung_until_its_ttl_and_recorded_as_missed_from_the_ttl_on()
    {
        Alice.Call(Bob);
        var offer = Alice.Sent.Single().Signal;
        var sentAt = line.Clock.GetUtcNow();

        // Bob was offline; he comes online one tick before the offer's TTL: it rings, for the tick that is left.
        line.Clock.Advance(CallLimits.OfferTtl - Tick);
        Assert.Equal(SignalDisposition.Applied, Bob.Machine.Receive("alice", true, offer, sentAt));
        Assert.Equal(CallState.Incoming, Bob.State);
        line.Clock.Advance(Tick);
        Assert.Null(Bob.State);
        Assert.Equal(CallRecordKind.Missed, Bob.Records.Single().Kind);

        // At the TTL exactly it does not ring at all.
        using var late = new CallLine();
        late.Alice.Call(late.Bob);
        var lateOffer = late.Alice.Sent.Single().Signal;
        var lateSentAt = late.Clock.GetUtcNow();
        late.Clock.Advance(CallLimits.OfferTtl);
        Assert.Equal(SignalDisposition.Applied, late.Bob.Machine.Receive("alice", true, lateOffer, lateSentAt));
        Assert.Null(late.Bob.State);
        Assert.DoesNotContain(late.Bob.Effects, e => e is SendCallSignal);
        var missed = late.Bob.Records.Single();
        Assert.Equal((CallRecordKind.Missed, CallEndReason.Expired, lateSentAt), (missed.Kind, missed.EndReason, missed.StartedAt));
    }

    [Fact]
    public void A_replayed_offer_never_rings_again()
    {
        Alice.Call(Bob);
        var offer = Alice.Sent.Single().Signal;
        line.Settle();
        Assert.True(Bob.Machine.Decline());
        Assert.Equal(SignalDisposition.Duplicate, Bob.Machine.Receive("alice", true, offer, line.Clock.GetUtcNow()));
        Assert.Null(Bob.State);
    }

    [Fact]
    public void Signals_naming_another_call_or_from_another_contact_change_nothing()
    {
        var id = line.Connect();
        var effects = Bob.Effects.Count;
        Assert.Equal(SignalDisposition.Ignored, Bob.Machine.Receive("mallory", true, new CallHangup(id, HangupReason.Normal), line.Clock.GetUtcNow()));
        Assert.Equal(SignalDisposition.Ignored, Bob.Machine.Receive("alice", true, new CallHangup(CallId.New(), HangupReason.Normal), line.Clock.GetUtcNow()));
        Assert.Equal(SignalDisposition.Ignored, Bob.Machine.Receive("alice", true, new CallNotice(id, CallSignalType.Ringing), line.Clock.GetUtcNow()));
        Assert.Equal(CallState.Connected, Bob.State);
        Assert.Equal(effects, Bob.Effects.Count);
    }

    [Fact]
    public void A_contact_whose_identity_key_changed_can_neither_be_called_nor_ring()
    {
        Assert.Equal(CallStartResult.UntrustedIdentity, Alice.Machine.Start("bob", false, CallMedia.Audio, Alice.Sdp, Alice.Fingerprint, out _));
        Assert.Empty(Alice.Effects);
        var offer = new CallOffer(CallId.New(), CallMedia.Video, Bob.Sdp, Bob.Fingerprint);
        Assert.Equal(SignalDisposition.Refused, Alice.Machine.Receive("bob", false, offer, line.Clock.GetUtcNow()));
        Assert.Null(Alice.State);
        Assert.DoesNotContain(Alice.Effects, e => e is SendCallSignal);
        Assert.Equal(CallEndReason.UntrustedIdentity, Alice.Records.Single().EndReason);
        Assert.Equal("Missed video call (refused: safety number changed)", Alice.Records.Single().Describe());
    }

    [Fact]
    public void Candidates_before_the_accept_are_held_up_to_the_bound_and_handed_over_on_accept()
    {
        var id = Alice.Call(Bob);
        line.Deliver(Alice, Bob);
        var one = new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ relay raddr 0.0.0.0 rport 0", "0", 0);
        var full = Enumerable.Repeat(one, CallLimits.MaxBufferedCandidates).ToList();
        Assert.Equal(SignalDisposition.Applied, Bob.Machine.Receive("alice", true, new CallIceCandidates(id, full.Take(32).ToList()), line.Clock.GetUtcNow()));
        for (var i = 32; i < CallLimits.MaxBufferedCandidates; i += 32)
        {
            Assert.Equal(SignalDisposition.Applied, Bob.Machine.Receive("alice", true, new CallIceCandidates(id, full.Skip(i).Take(32).ToList()), line.Clock.GetUtcNow()));
        }
        Assert.Equal(SignalDisposition.Ignored, Bob.Machine.Receive("alice", true, new CallIceCandidates(id, [one]), line.Clock.GetUtcNow()));
        Assert.DoesNotContain(Bob.Effects, e => e is AddRemoteCandidates);

        Assert.True(Bob.Machine.Accept(Bob.Sdp, Bob.Fingerprint));
        Assert.Equal(CallLimits.MaxBufferedCandidates, Bob.Effects.OfType<AddRemoteCandidates>().Single().Candidates.Count);
        Assert.Equal(SignalDisposition.Applied, Bob.Machine.Receive("alice", true, new CallIceCandidates(id, [one]), line.Clock.GetUtcNow()));
        Assert.Equal(2, Bob.Effects.OfType<AddRemoteCandidates>().Count());
    }

    [Fact]
    public void Local_candidates_go_out_in_signals_of_at_most_the_limit()
    {
        Alice.Call(Bob);
        var one = new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ relay raddr 0.0.0.0 rport 0", "0", 0);
        Assert.True(Alice.Machine.SendCandidates(Enumerable.Repeat(one, CallLimits.MaxCandidatesPerSignal + 1).ToList()));
        var sizes = Alice.Sent.Select(s => s.Signal).OfType<CallIceCandidates>().Select(c => c.Candidates.Count).ToList();
        Assert.Equal([CallLimits.MaxCandidatesPerSignal, 1], sizes);
        Assert.Throws<ArgumentException>(() => Alice.Machine.SendCandidates([one with { Candidate = "not a candidate" }]));
    }

    [Fact]
    public void The_effect_sink_may_not_call_back_into_the_machine()
    {
        CallStateMachine? machine = null;
        var fingerprint = TestSdp.NewFingerprint();
        machine = new CallStateMachine(line.Clock, _ => machine!.HangUp());
        using (machine)
        {
            Assert.Throws<InvalidOperationException>(() => machine.Start("bob", true, CallMedia.Audio, TestSdp.For(fingerprint), fingerprint, out _));
        }
    }

    [Fact]
    public void A_description_without_the_given_fingerprint_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() =>
            Alice.Machine.Start("bob", true, CallMedia.Audio, TestSdp.For(TestSdp.NewFingerprint()), Alice.Fingerprint, out _));
        Assert.Null(Alice.State);
    }

    public void Dispose() => line.Dispose();
}
