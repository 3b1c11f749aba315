using System.Threading.Channels;

namespace Parley.Daemon.Rpc;

/// <summary>
/// One client connection as the methods see it: whether it proved the secret, and a way to send it
/// notifications (events). Notifications queue up to a bound and the oldest are dropped for a
/// client that does not read; responses are never dropped.
/// </summary>
public sealed class RpcCall : IDisposable
{
    private readonly Channel<byte[]>? _notifications;
    private readonly Channel<byte[]> _ordered = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Creates the context of one connection.</summary>
    /// <param name="authenticated">Whether the transport already authenticated the client.</param>
    /// <param name="canStream">Whether the transport can carry notifications (not plain HTTP POST).</param>
    /// <param name="localSocket">Whether the client came through the 0600 Unix socket.</param>
    public RpcCall(bool authenticated, bool canStream, bool localSocket = false)
    {
        IsAuthenticated = authenticated;
        IsLocalSocket = localSocket;
        if (canStream)
        {
            _notifications = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Api.ApiLimits.MaxQueuedEvents)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
            });
        }
    }

    /// <summary>Whether the client proved the secret (always true on the Unix socket).</summary>
    public bool IsAuthenticated { get; set; }

    /// <summary>Whether the client came through the Unix socket (only its owner can reach it).</summary>
    public bool IsLocalSocket { get; }

    /// <summary>Set by a failed <c>auth</c>: the connection closes after the reply.</summary>
    public bool CloseAfterReply { get; set; }

    /// <summary>Whether notifications can reach this client.</summary>
    public bool CanStream => _notifications is not null;

    /// <summary>The notifications to write, in order.</summary>
    public ChannelReader<byte[]>? Notifications => _notifications?.Reader;

    /// <summary>Responses and the notifications of running calls, in the order they were posted.</summary>
    public ChannelReader<byte[]> Ordered => _ordered.Reader;

    /// <summary>The event subscription of this connection, if any.</summary>
    public IDisposable? Subscription { get; set; }

    /// <summary>Queues a subscription event (dropped first when the client does not keep up).</summary>
    /// <param name="message">The UTF-8 JSON.</param>
    public void Notify(byte[] message) => _notifications?.Writer.TryWrite(message);

    /// <summary>Queues a response, or a notification that belongs to a running call (never dropped, kept in order).</summary>
    /// <param name="message">The UTF-8 JSON.</param>
    public void Post(byte[] message) => _ordered.Writer.TryWrite(message);

    /// <summary>No more responses: the writer ends once the queue is written.</summary>
    public void CompleteResponses() => _ordered.Writer.TryComplete();

    /// <inheritdoc />
    public void Dispose()
    {
        Subscription?.Dispose();
        Subscription = null;
        _notifications?.Writer.TryComplete();
        _ordered.Writer.TryComplete();
    }
}
