using Google.Protobuf;
using Microsoft.Extensions.Options;
using Parley.Server.Contacts;
using Parley.Wire;

namespace Parley.Server.Relay;

/// <summary>
/// Accepts envelopes from connected clients: checks shape, size, rate, the contact relation and the
/// recipient's queue cap (each refusal is a typed <see cref="SendStatus"/> and changes nothing), then
/// routes the message. The sender hears ACCEPTED only after the message's batch commits. Typing
/// notices are online only (docs/PROTOCOL.md 10.2): pushed to a recipient connected here without being
/// stored, routed through the queue only when the recipient is connected to another node (Redis never
/// carries content), and dropped when the recipient is offline.
/// </summary>
public sealed class MessageSender
{
    private readonly ConnectionRegistry _registry;
    private readonly ContactGraph _contacts;
    private readonly QueueDepths _depths;
    private readonly SenderRateLimiter _rateLimiter;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly IRelayCluster _cluster;

    /// <summary>Creates the sender service.</summary>
    public MessageSender(ConnectionRegistry registry, ContactGraph contacts, QueueDepths depths, SenderRateLimiter rateLimiter,
        IOptions<RelayOptions> options, TimeProvider time, IRelayCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cluster = cluster;
        _registry = registry;
        _contacts = contacts;
        _depths = depths;
        _rateLimiter = rateLimiter;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Handles one Send frame of <paramref name="connection"/>; the result is sent on the connection.</summary>
    public async ValueTask SendAsync(RelayConnection connection, Send send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(send);
        var (status, retryAfter, message) = await ValidateAsync(connection, send, cancellationToken);
        if (message is null)
        {
            connection.Enqueue(Result(send.MessageId, status, retryAfter));
            return;
        }

        await connection.InFlight.WaitAsync(cancellationToken);
        _registry.Route(message, connection);
    }

    /// <summary>Queues a server-originated entry (contact event) and waits until it is durable.</summary>
    public Task<SendStatus> SubmitServerMessageAsync(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_depths.TryReserve(message.RecipientId, _options.QueueCapPerRecipient))
        {
            return Task.FromResult(SendStatus.QueueFull);
        }

        var completion = new AwaitableCompletion();
        _registry.Route(message, completion);
        return completion.Task;
    }

    private async ValueTask<(SendStatus Status, TimeSpan RetryAfter, QueuedMessage? Message)> ValidateAsync(
        RelayConnection connection, Send send, CancellationToken cancellationToken)
    {
        if (!MessageId.TryRead(send.MessageId.Span, out var id) || send.Type == EnvelopeType.Unspecified
            || !Enum.IsDefined(send.Type) || send.Recipient.Length is 0 or > 64)
        {
            return (SendStatus.Invalid, TimeSpan.Zero, null);
        }

        if (send.Ciphertext.Length > RelayLimits.MaxCiphertextBytes)
        {
            return (SendStatus.TooLarge, TimeSpan.Zero, null);
        }

        if (!_rateLimiter.TryTake(connection.AccountId, out var retryAfter))
        {
            return (SendStatus.RateLimited, retryAfter, null);
        }

        if (await _contacts.FindAsync(connection.AccountId, send.Recipient, cancellationToken) is not long recipientId)
        {
            // Unknown users, non-contacts and blocks all look alike to the sender.
            return (SendStatus.NotAContact, TimeSpan.Zero, null);
        }

        var message = new QueuedMessage(recipientId, connection.AccountId, connection.Username, id, QueuedKind.Envelope,
            (int)send.Type, TakeBytes(send.Ciphertext), _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (send.Type == EnvelopeType.Typing && await IsOnlineOnlyAsync(message, cancellationToken))
        {
            return (SendStatus.Accepted, TimeSpan.Zero, null); // pushed or dropped: nothing to store
        }

        if (!_depths.TryReserve(recipientId, _options.QueueCapPerRecipient))
        {
            return (SendStatus.QueueFull, TimeSpan.FromMinutes(1), null);
        }

        return (SendStatus.Accepted, TimeSpan.Zero, message);
    }

    /// <summary>
    /// Handles a typing notice without the queue when it can: pushed to a connection on this node, or
    /// dropped when the recipient is connected nowhere. False when the recipient is on another node: the
    /// notice then travels like any message (stored, rung, drained, deleted on acknowledgement).
    /// </summary>
    private async ValueTask<bool> IsOnlineOnlyAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        if (_registry.TryGet(message.RecipientId, out var here))
        {
            here.PushEphemeral(message);
            return true;
        }

        var online = await _cluster.OnlineAsync([message.RecipientId], cancellationToken);
        return !online.Contains(message.RecipientId);
    }

    /// <summary>
    /// The ciphertext's bytes without a second copy when the parser gave the ByteString an array of
    /// its own (it does when parsing from a span); a copy otherwise.
    /// </summary>
    private static byte[] TakeBytes(ByteString bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
        && segment.Offset == 0 && segment.Array is { } array && segment.Count == array.Length
            ? array
            : bytes.ToByteArray();

    private static ServerFrame Result(ByteString id, SendStatus status, TimeSpan retryAfter) => new()
    {
        SendResult = new SendResult
        {
            MessageId = id.Length <= RelayLimits.MessageIdBytes ? id : ByteString.Empty,
            Status = status,
            RetryAfterMs = (uint)Math.Min(uint.MaxValue, Math.Ceiling(retryAfter.TotalMilliseconds)),
        },
    };
}
