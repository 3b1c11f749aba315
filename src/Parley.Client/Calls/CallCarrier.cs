using Google.Protobuf;
using Parley.Client.Contacts;
using Parley.Client.Conversations;
using Parley.Client.Messaging;
using Parley.Client.Relay;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client.Calls;

/// <summary>
/// Carries call signals as end-to-end encrypted messages (content kind <c>call</c>, envelope
/// <c>CALL_SIGNAL</c>; docs/PROTOCOL.md 10B.2) and decides whose signals are heard: only an accepted,
/// unblocked contact's — and, while that contact's identity key changed without being accepted again,
/// nothing but their offers, which the state machine records as refused. Signals are not kept in the
/// outbox: a stale signal is worth nothing, so one that cannot go now is dropped (the state machine's
/// timeouts end the call). All methods expect the profile's gate held.
/// </summary>
internal sealed class CallCarrier(ProfileContext context, RelayLink link, ConversationService conversations)
{
    /// <summary>Whether <paramref name="peer"/> may take part in a call with this profile at all.</summary>
    public Contact? CallableContact(string peer) =>
        context.Store.GetContact(peer) is { State: ContactState.Accepted, BlockedByMe: false } contact ? contact : null;

    /// <summary>
    /// Waits (at most the request timeout) for a persistent link that is between attempts — a call
    /// placed just after the daemon started — or connects a command's link; fails with
    /// <see cref="Errors.ClientErrorKind.ServerUnreachable"/>.
    /// </summary>
    public async Task WhenConnectedAsync(CancellationToken cancellationToken)
    {
        if (!link.IsPersistent)
        {
            await link.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnState(RelayLinkState state)
        {
            if (state == RelayLinkState.Connected)
            {
                connected.TrySetResult();
            }
        }

        link.StateChanged += OnState;
        try
        {
            if (link.State != RelayLinkState.Connected)
            {
                await connected.Task.WaitAsync(link.RequestTimeout, context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException e)
        {
            throw new Errors.ParleyClientException(Errors.ClientErrorKind.ServerUnreachable, e);
        }
        finally
        {
            link.StateChanged -= OnState;
        }
    }

    /// <summary>Checks that <paramref name="peer"/> can be called now and that a session exists (building one from their bundle).</summary>
    public async Task PrepareLockedAsync(string peer, CancellationToken cancellationToken)
    {
        await conversations.EnsureCanSendLockedAsync(peer, cancellationToken).ConfigureAwait(false);
        if (link.State != RelayLinkState.Connected)
        {
            throw new Errors.ParleyClientException(Errors.ClientErrorKind.ServerUnreachable);
        }

        using var cipher = new SessionCipher(context.Keys, context.Keys, context.Keys, peer);
        if (!cipher.HasSession)
        {
            await conversations.BuildSessionLockedAsync(peer, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Encrypts and sends one signal; false (dropped) when the contact cannot be reached this way now.</summary>
    public async Task<bool> SendLockedAsync(string peer, CallSignal signal, CancellationToken cancellationToken)
    {
        if (CallableContact(peer) is not { KeyChanged: false } || link.State != RelayLinkState.Connected)
        {
            return false;
        }

        using var cipher = new SessionCipher(context.Keys, context.Keys, context.Keys, peer);
        if (!cipher.HasSession)
        {
            return false;
        }

        var id = MessageId.New();
        var content = MessageContent.ForCall(id, context.Time.GetUtcNow().ToUnixTimeMilliseconds(), signal);
        Send? send = null;
        context.Store.InTransaction(() => send = ContentSeal.Seal(context, cipher, peer, id, content, EnvelopeType.CallSignal));
        await link.SendAndForgetAsync(send!, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
