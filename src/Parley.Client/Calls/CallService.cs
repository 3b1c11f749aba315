using Parley.Client.Conversations;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Relay;
using Parley.Crypto.Keys;
using Parley.Wire.Rest;

namespace Parley.Client.Calls;

/// <summary>
/// Calls of this profile: the one <see cref="CallStateMachine"/> (on the profile's clock), its
/// signals carried as end-to-end encrypted messages, its history records stored in the
/// conversation, and TURN credentials from the server. The media itself is the browser's: what it
/// must do arrives as <see cref="ClientEventKind.Call"/> events, and what it reports comes back
/// through <see cref="SendCandidates"/>, <see cref="MediaConnected"/>, <see cref="MediaLost"/> and
/// <see cref="MediaFailed"/>. Only a client that <see cref="Rings"/> (a daemon serving the web app)
/// rings; any other records an incoming offer as missed.
/// </summary>
public sealed class CallService : IAsyncDisposable
{
    /// <summary>How long disposing waits for the last signals (the hangup) to go out.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ProfileContext _context;
    private readonly CallEffects _effects;
    private readonly CallStateMachine _machine;
    private CallCarrier? _carrier;

    internal CallService(ProfileContext context)
    {
        _context = context;
        _effects = new CallEffects(context, () => Carrier, id => _machine!.Call is { } call && call.Id == id ? call.Peer : string.Empty);
        _machine = new CallStateMachine(context.Time, _effects.Handle);
    }

    /// <summary>Whether incoming calls ring on this client (set by a daemon that serves the web app); otherwise they are recorded as missed.</summary>
    public bool Rings { get; set; }

    /// <summary>The call in progress, or null.</summary>
    public CallSnapshot? Current => _machine.Current;

    /// <summary>The offer of the call ringing here (for a browser that opens after it arrived), or null.</summary>
    public CallOffer? RingingOffer =>
        _machine.Current is { State: CallState.Incoming } c && _effects.LastOffer is { } offer && offer.CallId == c.CallId ? offer : null;

    /// <summary>
    /// Fetches fresh TURN credentials (one per call attempt) and checks them with
    /// <see cref="TurnCredentialCheck"/>. Fails with <see cref="ClientErrorKind.CallsNotConfigured"/>
    /// when the server has no relay, <see cref="ClientErrorKind.ProtocolViolation"/> for an answer
    /// that does not pass the check.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The credentials and the relay URIs.</returns>
    public async Task<TurnCredentials> GetTurnCredentialsAsync(CancellationToken cancellationToken)
    {
        _context.RequireToken();
        var credentials = await _context.Api.GetAsync<TurnCredentials>(CallRoutes.TurnCredentials, cancellationToken).ConfigureAwait(false);
        if (!TurnCredentialCheck.IsValid(credentials, _context.Time.GetUtcNow()))
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }
        return credentials;
    }

    /// <summary>
    /// The current call's identity checks: whether the contact's safety number was verified, and —
    /// once media connected with the signalled fingerprint — the short code to read aloud.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for the store.</param>
    /// <returns>The checks, or null without a call.</returns>
    public Task<CallVerification?> GetVerificationAsync(CancellationToken cancellationToken)
    {
        if (_machine.Current is not { } current)
        {
            return Task.FromResult<CallVerification?>(null);
        }
        var fingerprints = _machine.ConnectedFingerprints is { } f && f.CallId == current.CallId ? f : null;
        return _context.Locked<CallVerification?>(() =>
        {
            var contact = _context.Store.GetContact(current.Peer);
            var pinned = contact is { KeyChanged: false, IdentityKey: { } raw } && IdentityKey.TryParse(raw, out var key) ? key : null;
            var code = fingerprints is not null && pinned is not null
                ? CallShortCode.Derive(_context.Keys.GetIdentityKeyPair().PublicKey, fingerprints.Local, pinned, fingerprints.Remote)
                : null;
            return new CallVerification(current.CallId, pinned is not null && contact!.Verified, code);
        }, cancellationToken);
    }

    /// <summary>Calls <paramref name="peer"/> with the browser's SDP offer (whose <c>a=fingerprint</c> is this side's).</summary>
    /// <exception cref="ParleyClientException">Not a contact, blocked, key changed, server unreachable, or <see cref="ClientErrorKind.CallBusy"/>.</exception>
    public async Task<CallId> StartAsync(string peer, CallMedia media, string offerSdp, CancellationToken cancellationToken)
    {
        var name = Profiles.UserName.Parse(peer).Value;
        var fingerprint = RequireFingerprint(offerSdp);
        await Carrier.WhenConnectedAsync(cancellationToken).ConfigureAwait(false);
        await _context.LockedAsync(() => Carrier.PrepareLockedAsync(name, cancellationToken), cancellationToken).ConfigureAwait(false);
        return _machine.Start(name, peerTrusted: true, media, offerSdp, fingerprint, out var id) switch
        {
            CallStartResult.Started => id,
            CallStartResult.Busy => throw new ParleyClientException(ClientErrorKind.CallBusy),
            _ => throw new ParleyClientException(ClientErrorKind.KeyChanged),
        };
    }

    /// <summary>Accepts the ringing call <paramref name="callId"/> with the browser's SDP answer.</summary>
    public void Accept(CallId callId, string answerSdp)
    {
        var fingerprint = RequireFingerprint(answerSdp);
        RequireCall(callId);
        Require(_machine.Accept(answerSdp, fingerprint, callId));
    }

    /// <summary>Declines the ringing call (<paramref name="callId"/>, or whichever rings when null).</summary>
    public void Decline(CallId? callId)
    {
        if (callId is { } id)
        {
            RequireCall(id);
        }
        Require(_machine.Decline(callId));
    }

    /// <summary>Hangs up (cancels, declines or ends) the call <paramref name="callId"/>, or the current one when null.</summary>
    public void HangUp(CallId? callId)
    {
        if (callId is { } id)
        {
            RequireCall(id);
        }
        Require(_machine.HangUp(callId));
    }

    /// <summary>Sends the browser's trickled ICE candidates.</summary>
    public void SendCandidates(CallId callId, IReadOnlyList<IceCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Any(c => !CallSignalReader.IsCandidate(c)))
        {
            throw new ParleyClientException(ClientErrorKind.InvalidInput);
        }
        RequireCall(callId);
        Require(_machine.SendCandidates(candidates));
    }

    /// <summary>The browser's media connected; <paramref name="remoteFingerprint"/> is getStats' remote certificate fingerprint (<c>sha-256 AB:…</c>).</summary>
    /// <returns>Whether the fingerprint matched the signalled one (otherwise the call ended with a security error).</returns>
    public bool MediaConnected(CallId callId, string remoteFingerprint)
    {
        if (!DtlsFingerprint.TryParse(remoteFingerprint, out var fingerprint))
        {
            throw new ParleyClientException(ClientErrorKind.InvalidInput);
        }
        RequireCall(callId);
        Require(_machine.MediaConnected(fingerprint));
        return _machine.Current is { State: CallState.Connected } c && c.CallId == callId;
    }

    /// <summary>The browser lost the media of the connected call (an ICE restart follows).</summary>
    public void MediaLost(CallId callId)
    {
        RequireCall(callId);
        Require(_machine.MediaLost());
    }

    /// <summary>The browser's media failed for good.</summary>
    public void MediaFailed(CallId callId)
    {
        RequireCall(callId);
        Require(_machine.MediaFailed());
    }

    /// <summary>Sends the caller's ICE-restart offer (after a <see cref="CallUpdateKind.RestartIce"/> update).</summary>
    public void SendRestartOffer(CallId callId, string sdp)
    {
        var fingerprint = RequireFingerprint(sdp);
        RequireCall(callId);
        Require(_machine.SendOffer(sdp, fingerprint));
    }

    /// <summary>Sends the callee's answer to an ICE-restart offer.</summary>
    public void SendAnswer(CallId callId, string sdp)
    {
        var fingerprint = RequireFingerprint(sdp);
        RequireCall(callId);
        Require(_machine.SendAnswer(sdp, fingerprint));
    }

    /// <summary>Hangs up a call in progress, lets its last signals go out (bounded) and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _machine.HangUp();
        _machine.Dispose();
        await _effects.DrainAsync(DrainTimeout).ConfigureAwait(false);
    }

    internal void Attach(RelayLink link, ConversationService conversations) => _carrier = new CallCarrier(_context, link, conversations);

    /// <summary>A received call content (gate held): heard only from callable contacts; see <see cref="CallCarrier"/>.</summary>
    internal void ReceiveLocked(string sender, MessageContent content, DateTimeOffset serverTime)
    {
        if (content.Call is not { } signal || Carrier.CallableContact(sender) is not { } contact)
        {
            return; // a stranger (or a blocked contact) cannot ring
        }
        var trusted = !contact.KeyChanged;
        if (signal is CallOffer { Restart: false } offer)
        {
            if (!Rings && trusted)
            {
                RecordUnrung(sender, offer, serverTime);
                return;
            }
            _machine.Receive(sender, trusted, offer, serverTime);
        }
        else if (trusted)
        {
            _machine.Receive(sender, trusted, signal, serverTime);
        }
    }

    private CallCarrier Carrier => _carrier ?? throw new InvalidOperationException("The call service is not attached to a link.");

    /// <summary>No device rings here (no daemon): the offer is recorded as missed.</summary>
    private void RecordUnrung(string sender, CallOffer offer, DateTimeOffset serverTime)
    {
        var now = _context.Time.GetUtcNow();
        var reason = now - serverTime >= CallLimits.OfferTtl ? CallEndReason.Expired : CallEndReason.NoAnswer;
        _effects.Handle(new CallFinished(new CallRecord(offer.CallId, sender, CallRecordKind.Missed, offer.Media, reason,
            serverTime < now ? serverTime : now, null, now)));
    }

    private static DtlsFingerprint RequireFingerprint(string sdp) =>
        DtlsFingerprint.TryFromSdp(sdp, out var fingerprint) ? fingerprint : throw new ParleyClientException(ClientErrorKind.InvalidInput);

    private void RequireCall(CallId id)
    {
        if (_machine.Current?.CallId != id)
        {
            throw new ParleyClientException(ClientErrorKind.NoSuchCall);
        }
    }

    private static void Require(bool done)
    {
        if (!done)
        {
            throw new ParleyClientException(ClientErrorKind.NoSuchCall);
        }
    }
}
