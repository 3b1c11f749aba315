using System.Threading.Channels;

namespace Parley.Client.Calls;

/// <summary>
/// Carries out a profile's call state machine effects. What the media layer must do and every state
/// change go out at once as <see cref="ClientEventKind.Call"/> events (under the machine's lock, so in
/// order); signals to send and history records to store queue for one pump, which runs each under the
/// profile's gate — a signal that cannot go is dropped (the call's timeouts end it).
/// </summary>
internal sealed class CallEffects
{
    private readonly ProfileContext context;
    private readonly Func<CallCarrier> carrier;
    private readonly Func<CallId, string> peerOf;
    private readonly Channel<CallEffect> work = Channel.CreateUnbounded<CallEffect>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock offerLock = new();
    private readonly Task pump;
    private CallOffer? lastOffer;

    /// <summary>Starts the pump.</summary>
    /// <param name="context">The profile.</param>
    /// <param name="carrier">Sends signals (attached once the link exists).</param>
    /// <param name="peerOf">The contact of the machine's current call when it is the given call, or empty.</param>
    public CallEffects(ProfileContext context, Func<CallCarrier> carrier, Func<CallId, string> peerOf)
    {
        this.context = context;
        this.carrier = carrier;
        this.peerOf = peerOf;
        pump = Task.Run(PumpAsync);
    }

    /// <summary>The last new call's offer handed to the media layer (the ringing call's, while it rings).</summary>
    public CallOffer? LastOffer
    {
        get
        {
            lock (offerLock)
            {
                return lastOffer;
            }
        }
    }

    /// <summary>One effect: the machine's sink (called under its lock, so it must not call back into it).</summary>
    public void Handle(CallEffect effect)
    {
        switch (effect)
        {
            case SendCallSignal or CallFinished:
                work.Writer.TryWrite(effect);
                break;
            case CallStateChanged changed:
                Emit(changed.Call.Peer, new CallUpdate(CallUpdateKind.State, changed.Call.CallId, Snapshot: changed.Call));
                break;
            case ApplyRemoteDescription apply:
                if (apply.Description is CallOffer { Restart: false } offer)
                {
                    lock (offerLock)
                    {
                        lastOffer = offer;
                    }
                }
                Emit(peerOf(apply.CallId), new CallUpdate(CallUpdateKind.RemoteDescription, apply.CallId, Description: apply.Description));
                break;
            case AddRemoteCandidates add:
                Emit(peerOf(add.CallId), new CallUpdate(CallUpdateKind.RemoteCandidates, add.CallId, Candidates: add.Candidates));
                break;
            case RestartIce restart:
                Emit(peerOf(restart.CallId), new CallUpdate(CallUpdateKind.RestartIce, restart.CallId));
                break;
            case AnswerAutomatically answer:
                Emit(peerOf(answer.CallId), new CallUpdate(CallUpdateKind.AnswerAutomatically, answer.CallId));
                break;
        }
    }

    /// <summary>Accepts no more work and waits (at most <paramref name="timeout"/>) for the queued signals and records.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        work.Writer.TryComplete();
        try
        {
            await pump.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The link is gone or stuck; the contact's own timeouts end the call.
        }
    }

    private void Emit(string peer, CallUpdate update) =>
        context.Events.Emit(new ClientEvent { Kind = ClientEventKind.Call, Peer = peer, Call = update });

    /// <summary>Sends signals and stores records, one at a time, each under the profile's gate.</summary>
    private async Task PumpAsync()
    {
        await foreach (var effect in work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                switch (effect)
                {
                    case SendCallSignal send:
                        await context.LockedAsync(() => carrier().SendLockedAsync(send.Peer, send.Signal, CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
                        break;
                    case CallFinished finished:
                        var stored = await context.Locked(() => context.Store.AddCallRecord(finished.Record), CancellationToken.None).ConfigureAwait(false);
                        if (stored?.Call is { } record)
                        {
                            Emit(record.Peer, new CallUpdate(CallUpdateKind.Recorded, record.CallId, Record: record));
                        }
                        break;
                }
            }
#pragma warning disable CA1031 // A signal that cannot go (link closing, store closed) must not stop the pump; the call's timeouts end it.
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                _ = e;
            }
        }
    }
}
