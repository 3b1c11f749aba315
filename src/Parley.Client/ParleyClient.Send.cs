using Google.Protobuf;
using Parley.Client.Api;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Crypto.Bundles;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client;

/// <summary>
/// Sending: checks (contact, block, key change), session set-up from the peer's bundle, encryption,
/// then the outbox — the frame is stored with the message before anything goes on the wire, and it
/// is resent on every connection until the server acknowledges it.
/// </summary>
public sealed partial class ParleyClient
{
    /// <summary>Encrypts and sends a text message; returns once the server has stored it.</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the operation (the message stays in the outbox).</param>
    /// <returns>The message id.</returns>
    public async Task<MessageId> SendAsync(string peer, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var name = UserName.Parse(peer).Value;
        var id = await PrepareTextAsync(name, text, cancellationToken).ConfigureAwait(false);
        RelayConnection relay;
        try
        {
            relay = await ConnectRelayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachableMessageQueued, e);
        }

        await using var connection = relay;
        var pump = new RelayPump(relay, _ => Task.CompletedTask);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = pump.RunAsync(stop.Token);
        try
        {
            var failures = await FlushOutboxAsync(pump, cancellationToken).ConfigureAwait(false);
            if (failures.TryGetValue(id, out var kind))
            {
                throw new ParleyClientException(kind);
            }

            return id;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await IgnoreEndAsync(running).ConfigureAwait(false);
        }
    }

    /// <summary>Checks, sets up the session if needed, encrypts and stores the message with its outbox frame.</summary>
    internal async Task<MessageId> PrepareTextAsync(string name, string text, CancellationToken cancellationToken)
    {
        await EnsureCanSendAsync(name, cancellationToken).ConfigureAwait(false);
        var cipher = new SessionCipher(_keys, _keys, _keys, name);
        if (!cipher.HasSession)
        {
            await BuildSessionAsync(name, cancellationToken).ConfigureAwait(false);
        }

        var id = MessageId.New();
        var now = DateTimeOffset.UtcNow;
        var content = new MessageContent { Kind = MessageContent.TextKind, Id = id.ToString(), SentAtMs = now.ToUnixTimeMilliseconds(), Text = text };
        _store.InTransaction(() =>
        {
            var encrypted = cipher.Encrypt(content.ToBytes());
            var send = new Send
            {
                MessageId = ByteString.CopyFrom(id.ToBytes()),
                Recipient = name,
                Type = encrypted.Type == CiphertextMessageType.PreKey ? EnvelopeType.PrekeyMessage : EnvelopeType.RatchetMessage,
                Ciphertext = ByteString.CopyFrom(encrypted.Bytes.Span),
            };
            var message = new StoredMessage { Id = id, Peer = name, Direction = MessageDirection.Outgoing, State = DeliveryState.Pending, Text = text, SentAt = now };
            _store.AddOutgoing(message, send.ToByteArray());
        });
        return id;
    }

    private async Task EnsureCanSendAsync(string name, CancellationToken cancellationToken)
    {
        var contact = _store.GetContact(name);
        if (contact is { BlockedByMe: true })
        {
            throw new ParleyClientException(ClientErrorKind.Blocked);
        }

        if (contact is { KeyChanged: true })
        {
            throw new ParleyClientException(ClientErrorKind.KeyChanged);
        }

        if (contact?.State != ContactState.Accepted)
        {
            await RefreshContactsAsync(cancellationToken).ConfigureAwait(false);
            contact = _store.GetContact(name);
            if (contact is { BlockedByMe: true })
            {
                throw new ParleyClientException(ClientErrorKind.Blocked);
            }

            if (contact?.State != ContactState.Accepted)
            {
                throw new ParleyClientException(ClientErrorKind.NotAContact);
            }
        }
    }

    /// <summary>Fetches the peer's prekey bundle, checks it against the pinned identity and starts a session.</summary>
    private async Task BuildSessionAsync(string name, CancellationToken cancellationToken)
    {
        var bundle = await FetchBundleAsync(name, cancellationToken).ConfigureAwait(false);
        var builder = new SessionBuilder(_keys, _keys, name);
        SessionError error = SessionError.None;
        var ok = false;
        _store.InTransaction(() => ok = builder.TryProcessBundle(bundle, out error));
        if (ok)
        {
            return;
        }

        if (error == SessionError.UntrustedIdentity)
        {
            IdentityPins.Observe(_store, name, bundle.IdentityKey.Serialize());
            throw new ParleyClientException(ClientErrorKind.KeyChanged);
        }

        throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
    }

    private async Task<PreKeyBundle> FetchBundleAsync(string name, CancellationToken cancellationToken)
    {
        var raw = await FetchBundleBytesAsync(name, cancellationToken).ConfigureAwait(false);
        if (raw.Length > PreKeyBundle.MaxSerializedSize || !PreKeyBundle.TryParse(raw, out var bundle) || !bundle.Verify() ||
            !string.Equals(bundle.AccountId, name, StringComparison.Ordinal))
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        return bundle;
    }

    /// <summary>Sends every outbox frame and records the server's verdicts; returns the permanent failures.</summary>
    private async Task<Dictionary<MessageId, ClientErrorKind>> FlushOutboxAsync(RelayPump pump, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<MessageId, ClientErrorKind>();
        foreach (var (id, payload) in _store.PendingOutbox())
        {
            Send send;
            try
            {
                send = Send.Parser.ParseFrom(payload);
            }
            catch (InvalidProtocolBufferException)
            {
                _store.DiscardOutgoing(id);
                continue;
            }

            var result = await pump.SendAndWaitAsync(send, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (ApplySendResult(id, result.Status) is { } failure)
            {
                failures[id] = failure;
            }
        }

        return failures;
    }

    private async Task<RelayConnection> ConnectRelayAsync(CancellationToken cancellationToken)
    {
        var socket = await _transport.ConnectWebSocketAsync(Routes.RelaySocket, RequireToken(), cancellationToken).ConfigureAwait(false);
        return new RelayConnection(socket);
    }

    private static async Task IgnoreEndAsync(Task running)
    {
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException or TimeoutException)
        {
            // The pump ends by cancellation or because the socket closed; either is the expected end.
        }
    }

    /// <summary>Opens a relay connection for a <see cref="ChatSession"/>.</summary>
    internal Task<RelayConnection> ConnectRelayForChatAsync(CancellationToken cancellationToken) => ConnectRelayAsync(cancellationToken);

    /// <summary>Flushes the outbox, taking the gate only around store work (results arrive on the reading loop).</summary>
    internal async Task<Dictionary<MessageId, ClientErrorKind>> FlushOutboxLockedAsync(RelayPump pump, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        IReadOnlyList<(MessageId Id, byte[] Payload)> pending;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            pending = _store.PendingOutbox();
        }
        finally
        {
            gate.Release();
        }

        var failures = new Dictionary<MessageId, ClientErrorKind>();
        foreach (var (id, payload) in pending)
        {
            var send = Send.Parser.ParseFrom(payload);
            var result = await pump.SendAndWaitAsync(send, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (ApplySendResult(id, result.Status) is { } failure)
                {
                    failures[id] = failure;
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return failures;
    }

    /// <summary>Records the server's verdict on one outbox frame; returns the error for failures.</summary>
    private ClientErrorKind? ApplySendResult(MessageId id, SendStatus status)
    {
        switch (status)
        {
            case SendStatus.Accepted:
            case SendStatus.DuplicateAccepted:
                _store.MarkAcknowledged(id);
                return null;
            case SendStatus.NotAContact:
            case SendStatus.UnknownRecipient:
            case SendStatus.Blocked:
                _store.DiscardOutgoing(id);
                return ClientErrorKind.NotAContact;
            case SendStatus.TooLarge:
            case SendStatus.Invalid:
                _store.DiscardOutgoing(id);
                return ClientErrorKind.ProtocolViolation;
            default:
                return ClientErrorKind.Refused; // rate limit, queue full, try again: stays in the outbox
        }
    }
}
