using Parley.Wire;

namespace Parley.Client.Relay;

/// <summary>
/// What a <see cref="RelayLink"/> does with the traffic it does not handle itself (it handles send
/// results, pongs and presence-query answers). The profile's inbox implements it.
/// </summary>
public interface IRelayHandler
{
    /// <summary>
    /// Handles one incoming frame other than a delivery (contact event, presence, queue-empty). Called
    /// on the link's dispatcher, one call at a time and in the order the frames came, so everything
    /// before a frame is handled before it. Verdicts on sends are settled by the link while the
    /// handler runs, so it may wait for one.
    /// </summary>
    /// <param name="link">The link the frame came from.</param>
    /// <param name="frame">The frame.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>A task that completes when the frame is handled.</returns>
    Task OnFrameAsync(RelayLink link, ServerFrame frame, CancellationToken cancellationToken);

    /// <summary>
    /// Handles consecutive deliveries (1 to <see cref="LinkLimits.MaxDeliveriesPerBatch"/>, in
    /// order), on the same dispatcher as <see cref="OnFrameAsync"/>: store them, then acknowledge them.
    /// </summary>
    /// <param name="link">The link the deliveries came from.</param>
    /// <param name="deliveries">The deliveries, in the server's order.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>A task that completes when the deliveries are handled.</returns>
    Task OnDeliveriesAsync(RelayLink link, IReadOnlyList<Deliver> deliveries, CancellationToken cancellationToken);

    /// <summary>
    /// Runs after every successful (re)connection, beside the reading loop: flush the outbox, release
    /// held messages. An exception from here ends the connection (a persistent link reconnects).
    /// </summary>
    /// <param name="link">The connected link.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>A task.</returns>
    Task OnConnectedAsync(RelayLink link, CancellationToken cancellationToken);

    /// <summary>Runs once per connection after the server said the offline queue is drained (prekey top-up).</summary>
    /// <param name="link">The connected link.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>A task.</returns>
    Task OnDrainedAsync(RelayLink link, CancellationToken cancellationToken);
}

/// <summary>Opens an authenticated relay WebSocket (the pinned transport in production, a loopback pair in tests).</summary>
public interface IRelayConnector
{
    /// <summary>Opens a new connection.</summary>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The open connection.</returns>
    /// <exception cref="Errors.ParleyClientException">With <c>ServerUnreachable</c>, <c>NotLoggedIn</c>, <c>CertificateChanged</c>…</exception>
    Task<RelayConnection> ConnectAsync(CancellationToken cancellationToken);
}

/// <summary>The connection state of a <see cref="RelayLink"/>.</summary>
public enum RelayLinkState
{
    /// <summary>No socket (never connected, or lost and — for a persistent link — waiting to retry).</summary>
    Disconnected,

    /// <summary>Opening a socket.</summary>
    Connecting,

    /// <summary>Connected; frames flow.</summary>
    Connected,

    /// <summary>Closed for good (disposed); nothing more happens.</summary>
    Closed,
}
