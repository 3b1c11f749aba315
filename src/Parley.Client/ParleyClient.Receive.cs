using Google.Protobuf;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client;

/// <summary>
/// Receiving: every delivery is decrypted and stored in one transaction with the session state,
/// and only then acknowledged; a redelivered id is acknowledged without decrypting again; messages
/// are handed out for display once (the store's <c>shown</c> flag), which also sends read receipts.
/// </summary>
public sealed partial class ParleyClient
{
    private const string HeldSpace = "held";

    /// <summary>
    /// Connects, resends the outbox, drains the offline queue (and listens <paramref name="wait"/>
    /// longer), storing and reporting every message and event, then disconnects.
    /// </summary>
    /// <param name="wait">How long to keep listening after the queue is drained.</param>
    /// <param name="onEvent">Called for each message (once, ever) and event, in order.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages and events were reported.</returns>
    public async Task<int> ReceiveAsync(TimeSpan wait, Action<ClientEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var count = 0;
        void Emit(ClientEvent e)
        {
            count++;
            onEvent(e);
        }

        // One gate: the reading loop (deliveries) and this flow (held, unshown, outbox) share one store connection.
        using var gate = new SemaphoreSlim(1, 1);
        await using var relay = await ConnectRelayAsync(cancellationToken).ConfigureAwait(false);
        RelayPump? pump = null;
        pump = new RelayPump(relay, frame => WithGateAsync(gate, () => HandleFrameAsync(frame, pump!, _ => true, Emit, cancellationToken), cancellationToken));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = pump.RunAsync(stop.Token);
        try
        {
            await WithGateAsync(gate, () => ReleaseHeldAsync(pump, Emit, cancellationToken), cancellationToken).ConfigureAwait(false);
            await WithGateAsync(gate, () => ShowUnshownAsync(pump, null, Emit, cancellationToken), cancellationToken).ConfigureAwait(false);
            await FlushOutboxLockedAsync(pump, gate, cancellationToken).ConfigureAwait(false);
            await pump.QueueEmpty.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            await WithGateAsync(gate, () => TryReplenishAsync(Emit, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(running, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
            }
        }
        catch (TimeoutException e)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await IgnoreEndAsync(running).ConfigureAwait(false);
            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false); // let a frame in progress finish before the store closes
        }

        return count;
    }

    private static async Task WithGateAsync(SemaphoreSlim gate, Func<Task> action, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Handles one incoming frame; <paramref name="showNow"/> says whose messages are displayed right away.</summary>
    internal async Task HandleFrameAsync(ServerFrame frame, RelayPump pump, Func<string, bool> showNow, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        switch (frame.KindCase)
        {
            case ServerFrame.KindOneofCase.Deliver:
                await HandleDeliverAsync(frame.Deliver, pump, showNow, emit, cancellationToken).ConfigureAwait(false);
                break;
            case ServerFrame.KindOneofCase.ContactEvent:
                await HandleContactEventAsync(frame.ContactEvent, emit, cancellationToken).ConfigureAwait(false);
                await pump.AckAsync(frame.ContactEvent.MessageId, string.Empty, cancellationToken).ConfigureAwait(false);
                break;
            case ServerFrame.KindOneofCase.Presence:
                if (UserName.TryParse(frame.Presence.Username, out var who))
                {
                    emit(new ClientEvent { Kind = ClientEventKind.Presence, Peer = who.Value, Online = frame.Presence.Online });
                }

                break;
            case ServerFrame.KindOneofCase.PrekeyStock:
                // The server says a fetch left our one-time keys low (Parley.Wire relay.proto, PreKeyStock): refill now.
                await TryReplenishAsync(emit, cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    private async Task HandleDeliverAsync(Deliver deliver, RelayPump pump, Func<string, bool> showNow, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        if (!MessageId.TryFromBytes(deliver.MessageId.Span, out var id) || !UserName.TryParse(deliver.Sender, out var senderName))
        {
            await pump.AckAsync(deliver.MessageId, deliver.Sender, cancellationToken).ConfigureAwait(false);
            return;
        }

        var sender = senderName.Value;
        if (_store.HasMessage(id))
        {
            await pump.AckAsync(deliver.MessageId, deliver.Sender, cancellationToken).ConfigureAwait(false);
            return;
        }

        var outcome = DecryptAndStore(id, sender, deliver.Ciphertext.Span, deliver.ServerTimestampMs);
        if (outcome.Error == SessionError.UntrustedIdentity)
        {
            _store.PutSecret(HeldSpace, id.ToString(), deliver.ToByteArray());
            await RecordKeyChangeAsync(sender, emit, cancellationToken).ConfigureAwait(false);
        }
        else if (outcome.Error is not (SessionError.None or SessionError.DuplicateMessage))
        {
            emit(new ClientEvent { Kind = ClientEventKind.Undecryptable, Peer = sender });
        }

        await pump.AckAsync(deliver.MessageId, deliver.Sender, cancellationToken).ConfigureAwait(false);
        if (outcome.Content is { } content)
        {
            await ReportContentAsync(sender, content, pump, showNow, emit, cancellationToken).ConfigureAwait(false);
        }
    }

    private (SessionError Error, MessageContent? Content) DecryptAndStore(MessageId id, string sender, ReadOnlySpan<byte> ciphertext, long serverMs)
    {
        var cipher = new SessionCipher(_keys, _keys, _keys, sender);
        var error = SessionError.None;
        MessageContent? content = null;
        var bytes = ciphertext.ToArray();
        _store.InTransaction(() =>
        {
            if (!cipher.TryDecrypt(bytes, out var plaintext, out error) || plaintext is null)
            {
                return;
            }

            if (!MessageContent.TryParse(plaintext, out content) || content!.Id != id.ToString())
            {
                content = null;
                error = SessionError.InvalidMessage;
                return;
            }

            if (content.Kind == MessageContent.TextKind)
            {
                var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(content.SentAtMs, 0, 253402300799999));
                _store.TryAddIncoming(new StoredMessage
                {
                    Id = id, Peer = sender, Direction = MessageDirection.Incoming, State = DeliveryState.Delivered, Text = content.Text!, SentAt = sentAt,
                });
            }
            else if (content.Kind == MessageContent.ReceiptKind)
            {
                ApplyReceipt(sender, content);
            }
        });
        return (error, content);
    }

    private void ApplyReceipt(string sender, MessageContent receipt)
    {
        var state = receipt.Receipt == "read" ? DeliveryState.Read : DeliveryState.Delivered;
        foreach (var text in receipt.Ids!)
        {
            if (MessageId.TryParse(text, out var ref_) && _store.GetMessage(ref_) is { Direction: MessageDirection.Outgoing } mine && mine.Peer == sender)
            {
                _store.AdvanceState(ref_, state);
            }
        }
    }

    private async Task ReportContentAsync(string sender, MessageContent content, RelayPump pump, Func<string, bool> showNow, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        switch (content.Kind)
        {
            case MessageContent.TextKind when showNow(sender):
                await ShowUnshownAsync(pump, sender, emit, cancellationToken).ConfigureAwait(false);
                break;
            case MessageContent.TextKind:
                await SendReceiptAsync(pump, sender, "delivered", [content.Id], cancellationToken).ConfigureAwait(false);
                break;
            case MessageContent.ReceiptKind:
                var ids = content.Ids!.Select(t => MessageId.TryParse(t, out var i) ? i : default).Where(i => i != default).ToList();
                emit(new ClientEvent { Kind = content.Receipt == "read" ? ClientEventKind.Read : ClientEventKind.Delivered, Peer = sender, MessageIds = ids });
                break;
            case MessageContent.TypingKind:
                emit(new ClientEvent { Kind = ClientEventKind.Typing, Peer = sender, Typing = content.Typing });
                break;
        }
    }

    /// <summary>Hands out stored-but-unshown messages once and tells their senders they were read.</summary>
    internal async Task ShowUnshownAsync(RelayPump pump, string? peer, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        var shown = _store.TakeUnshownIncoming(peer);
        foreach (var message in shown)
        {
            emit(new ClientEvent { Kind = ClientEventKind.Message, Peer = message.Peer, Message = message });
        }

        foreach (var group in shown.GroupBy(m => m.Peer, StringComparer.Ordinal))
        {
            var ids = group.Select(m => m.Id.ToString()).ToList();
            for (var i = 0; i < ids.Count; i += MessageContent.MaxReceiptIds)
            {
                await SendReceiptAsync(pump, group.Key, "read", ids.Skip(i).Take(MessageContent.MaxReceiptIds).ToList(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendReceiptAsync(RelayPump pump, string peer, string kind, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var content = new MessageContent { Kind = MessageContent.ReceiptKind, Id = MessageId.New().ToString(), SentAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Receipt = kind, Ids = ids };
        await SendControlAsync(pump, peer, content, EnvelopeType.Receipt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Encrypts and sends a receipt or typing notice without the outbox (losing one is harmless).</summary>
    internal async Task SendControlAsync(RelayPump pump, string peer, MessageContent content, EnvelopeType type, CancellationToken cancellationToken)
    {
        var contact = _store.GetContact(peer);
        var cipher = new SessionCipher(_keys, _keys, _keys, peer);
        if (contact is null || contact.KeyChanged || contact.BlockedByMe || !cipher.HasSession)
        {
            return;
        }

        Send? send = null;
        _store.InTransaction(() =>
        {
            var encrypted = cipher.Encrypt(content.ToBytes());
            send = new Send
            {
                MessageId = ByteString.CopyFrom(MessageId.TryParse(content.Id, out var id) ? id.ToBytes() : MessageId.New().ToBytes()),
                Recipient = peer,
                Type = type,
                Ciphertext = ByteString.CopyFrom(encrypted.Bytes.Span),
            };
        });
        await pump.SendAndForgetAsync(send!, cancellationToken).ConfigureAwait(false);
    }
}
