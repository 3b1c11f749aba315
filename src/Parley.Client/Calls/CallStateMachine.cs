namespace Parley.Client.Calls;

/// <summary>
/// The 1:1 call state machine (docs/PROTOCOL.md 10B.3): idle → outgoing (ringing) → connecting →
/// connected → ended, and idle → incoming → connecting → connected, with decline, busy, no answer,
/// cancel, hangup by either side, glare, ICE restart and expired offers. It does no I/O: inputs are
/// method calls (the user, the media layer, received signals); outputs are <see cref="CallEffect"/>s
/// handed, in order, to the sink given at construction, under the machine's lock — the sink must not
/// call back into the machine synchronously. Timeouts run on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class CallStateMachine : IDisposable
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly Action<CallEffect> sink;
    private readonly RecentCallIds seen = new();
    private readonly CallDeadline deadline;
    private ActiveCall? call;
    private bool emitting;

    /// <summary>Creates an idle machine.</summary>
    public CallStateMachine(TimeProvider time, Action<CallEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(effects);
        this.time = time;
        sink = effects;
        deadline = new CallDeadline(time, gate, Expire);
    }

    /// <summary>The call in progress, or null when idle.</summary>
    public CallSnapshot? Current => Locked(() => call?.Snapshot(), guard: false);

    /// <summary>
    /// The two DTLS fingerprints of the call whose media connected (ours as signalled; the contact's as
    /// signalled, which the media's matched), or null when there is no such call.
    /// </summary>
    public CallFingerprints? ConnectedFingerprints => Locked(
        () => call is { State: CallState.Connected or CallState.Reconnecting, LocalFingerprint: { } local, RemoteFingerprint: { } remote } c
            ? new CallFingerprints(c.Id, c.Peer, local, remote)
            : null,
        guard: false);

    /// <summary>Places a call with this side's SDP offer (which must carry <paramref name="localFingerprint"/>).</summary>
    public CallStartResult Start(string peer, bool peerTrusted, CallMedia media, string offerSdp, DtlsFingerprint localFingerprint, out CallId callId)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        RequireDescription(offerSdp, localFingerprint);
        lock (gate)
        {
            EnterGuard();
            callId = default;
            if (!peerTrusted)
            {
                return CallStartResult.UntrustedIdentity;
            }
            if (call is not null)
            {
                return CallStartResult.Busy;
            }
            callId = CallId.New();
            Remember(callId);
            call = new ActiveCall(callId, peer, CallDirection.Outgoing, media, time.GetUtcNow()) { LocalFingerprint = localFingerprint };
            Emit(new SendCallSignal(peer, new CallOffer(callId, media, offerSdp, localFingerprint)));
            Enter(CallState.Outgoing, CallLimits.RingTimeout);
            return CallStartResult.Started;
        }
    }

    /// <summary>Accepts the ringing incoming call (only if it is <paramref name="callId"/>, when given) with this side's SDP answer.</summary>
    public bool Accept(string answerSdp, DtlsFingerprint localFingerprint, CallId? callId = null)
    {
        RequireDescription(answerSdp, localFingerprint);
        return Locked(() =>
        {
            if (call is not { State: CallState.Incoming } ringing || !Is(callId))
            {
                return false;
            }
            ringing.Accepted = true;
            ringing.LocalFingerprint = localFingerprint;
            Emit(new SendCallSignal(ringing.Peer, new CallAccept(ringing.Id, answerSdp, localFingerprint)));
            Enter(CallState.Connecting, CallLimits.ConnectTimeout);
            FlushCandidates(ringing);
            return true;
        });
    }

    /// <summary>Declines the ringing incoming call (only if it is <paramref name="callId"/>, when given).</summary>
    public bool Decline(CallId? callId = null) => Locked(() =>
    {
        if (call is not { State: CallState.Incoming } ringing || !Is(callId))
        {
            return false;
        }
        Emit(new SendCallSignal(ringing.Peer, new CallNotice(ringing.Id, CallSignalType.Decline)));
        End(CallEndReason.Declined);
        return true;
    });

    /// <summary>
    /// Hangs up: cancels an outgoing call, declines an incoming one, ends a live one — only if it is
    /// <paramref name="callId"/>, when given (a glare may have replaced the call the user meant).
    /// </summary>
    public bool HangUp(CallId? callId = null) => Locked(() =>
    {
        switch (Is(callId) ? call?.State : null)
        {
            case CallState.Outgoing:
                End(CallEndReason.Cancelled, HangupReason.Cancelled);
                return true;
            case CallState.Incoming:
                Emit(new SendCallSignal(call!.Peer, new CallNotice(call.Id, CallSignalType.Decline)));
                End(CallEndReason.Declined);
                return true;
            case CallState.Connecting or CallState.Connected or CallState.Reconnecting:
                End(call!.ConnectedAt is null ? CallEndReason.Cancelled : CallEndReason.LocalHangup, HangupReason.Normal);
                return true;
            default:
                return false;
        }
    });

    /// <summary>Sends this side's trickled ICE candidates (split into signals of at most <see cref="CallLimits.MaxCandidatesPerSignal"/>).</summary>
    public bool SendCandidates(IReadOnlyList<IceCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Any(c => !CallSignalReader.IsCandidate(c)))
        {
            throw new ArgumentException("Not a valid ICE candidate.", nameof(candidates));
        }
        return Locked(() => new LocalMedia(this).SendCandidates(candidates));
    }

    /// <summary>Sends the caller's ICE-restart re-offer (after <see cref="RestartIce"/>).</summary>
    public bool SendOffer(string sdp, DtlsFingerprint localFingerprint)
    {
        RequireDescription(sdp, localFingerprint);
        return Locked(() => new LocalMedia(this).SendOffer(sdp, localFingerprint));
    }

    /// <summary>Sends the callee's answer to a re-offer.</summary>
    public bool SendAnswer(string sdp, DtlsFingerprint localFingerprint)
    {
        RequireDescription(sdp, localFingerprint);
        return Locked(() => new LocalMedia(this).SendAnswer(sdp, localFingerprint));
    }

    /// <summary>
    /// The media layer's transport connected; <paramref name="remoteFingerprint"/> is what getStats
    /// reports for the remote certificate. Unless it equals the signalled one, the call ends with a
    /// security error.
    /// </summary>
    public bool MediaConnected(DtlsFingerprint remoteFingerprint)
    {
        ArgumentNullException.ThrowIfNull(remoteFingerprint);
        return Locked(() => new LocalMedia(this).Connected(remoteFingerprint));
    }

    /// <summary>Media of a connected call was lost: restart ICE for at most <see cref="CallLimits.IceRestartTimeout"/>.</summary>
    public bool MediaLost() => Locked(() => new LocalMedia(this).Lost());

    /// <summary>The media layer failed for good (no camera, peer connection closed): end the call.</summary>
    public bool MediaFailed() => Locked(() => new LocalMedia(this).Failed());

    /// <summary>
    /// A signal from <paramref name="peer"/>, already decrypted and authenticated by the session;
    /// <paramref name="serverTime"/> is when the server accepted the message (the relay's delivery
    /// timestamp), which dates offers independently of the caller's clock.
    /// </summary>
    public SignalDisposition Receive(string peer, bool peerTrusted, CallSignal signal, DateTimeOffset serverTime)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        ArgumentNullException.ThrowIfNull(signal);
        return Locked(() => signal is CallOffer { Restart: false } offer
            ? new IncomingOffer(this, peer, peerTrusted, offer, serverTime).Handle()
            : call is null || call.Id != signal.CallId || !string.Equals(call.Peer, peer, StringComparison.Ordinal) ? SignalDisposition.Ignored
            : new InCallSignal(this, call, signal).Handle() ? SignalDisposition.Applied : SignalDisposition.Ignored);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            deadline.Disarm();
        }
    }

    internal ActiveCall? Call { get => call; set => call = value; }

    internal DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Remembers a call id; false when it was seen before.</summary>
    internal bool Remember(CallId id) => seen.Add(id);

    internal void Emit(CallEffect effect)
    {
        emitting = true;
        try
        {
            sink(effect);
        }
        finally
        {
            emitting = false;
        }
    }

    /// <summary>Moves the call to <paramref name="state"/>, arms its deadline (or none) and announces it.</summary>
    internal void Enter(CallState state, TimeSpan? deadline)
    {
        var live = call!;
        live.State = state;
        this.deadline.Arm(deadline);
        Emit(new CallStateChanged(live.Snapshot()));
    }

    /// <summary>Ends the call: optional hangup to the contact, the final state, the history record, idle.</summary>
    internal void End(CallEndReason reason, HangupReason? hangup = null)
    {
        var ended = call!;
        deadline.Disarm();
        if (hangup is { } why)
        {
            Emit(new SendCallSignal(ended.Peer, new CallHangup(ended.Id, why)));
        }
        call = null;
        Emit(new CallStateChanged(ended.Snapshot(reason)));
        if (reason != CallEndReason.Superseded)
        {
            Emit(new CallFinished(ended.Record(reason, time.GetUtcNow())));
        }
    }

    internal void FlushCandidates(ActiveCall live)
    {
        var held = live.TakeBuffered();
        if (held.Count > 0)
        {
            Emit(new AddRemoteCandidates(live.Id, held));
        }
    }

    /// <summary>The current state's deadline passed (called under the lock by <see cref="CallDeadline"/>).</summary>
    private void Expire()
    {
        switch (call?.State)
        {
            case CallState.Outgoing:
                End(CallEndReason.NoAnswer, HangupReason.NoAnswer);
                break;
            case CallState.Incoming:
                End(CallEndReason.NoAnswer); // the caller gives up on its own clock
                break;
            case CallState.Connecting:
                End(CallEndReason.Failed, HangupReason.Failed);
                break;
            case CallState.Reconnecting:
                End(CallEndReason.ConnectionLost, HangupReason.Failed);
                break;
        }
    }

    /// <summary>Whether the current call is <paramref name="callId"/> (any call, when null). Call under the lock.</summary>
    private bool Is(CallId? callId) => callId is not { } id || call?.Id == id;

    /// <summary>Runs <paramref name="action"/> under the lock; a change (<paramref name="guard"/>) refuses a re-entrant call from the effect sink.</summary>
    private T Locked<T>(Func<T> action, bool guard = true)
    {
        lock (gate)
        {
            if (guard)
            {
                EnterGuard();
            }
            return action();
        }
    }

    private void EnterGuard()
    {
        if (emitting)
        {
            throw new InvalidOperationException("The effect sink must not call back into the call state machine synchronously.");
        }
    }

    private static void RequireDescription(string sdp, DtlsFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (!CallSignalReader.IsSdp(sdp) || !CallSignalReader.SdpCarries(sdp, fingerprint))
        {
            throw new ArgumentException("The SDP must be well-formed and carry exactly the given fingerprint.", nameof(sdp));
        }
    }
}
