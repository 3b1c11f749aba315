using Google.Protobuf;
using Parley.Client.Errors;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Client.Relay;

/// <summary>
/// The one relay connection of a profile and its whole lifecycle: it owns the WebSocket and its
/// reading loop, sends and waits for the server's verdicts, acknowledges what the inbox stored, and —
/// when <see cref="Start"/>ed — stays connected, reconnecting with jittered exponential backoff
/// (<see cref="ReconnectBackoff"/>) after network loss or a server restart. After every connection
/// the <see cref="IRelayHandler"/> flushes the outbox; every incoming frame goes to it in order.
/// <para>
/// Two ways to use it: a one-shot command calls <see cref="ConnectAsync"/>, does its work, and
/// disposes it; a long-running process (the daemon) calls <see cref="Start"/> once and listens to
/// <see cref="StateChanged"/> and the profile's events until it disposes the link.
/// </para>
/// </summary>
public sealed class RelayLink : IAsyncDisposable
{
    private readonly LinkSlot _slot;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _startLock = new();
    private Task _runner = Task.CompletedTask;

    /// <summary>Creates a link; nothing connects until <see cref="ConnectAsync"/> or <see cref="Start"/>.</summary>
    /// <param name="connector">Opens sockets.</param>
    /// <param name="handler">Handles incoming frames and (re)connections.</param>
    /// <param name="requestTimeout">How long to wait for a verdict or a presence answer.</param>
    /// <param name="backoff">The reconnect policy of a started link.</param>
    /// <param name="time">The clock (a fake one in tests).</param>
    public RelayLink(IRelayConnector connector, IRelayHandler handler, TimeSpan requestTimeout, ReconnectBackoff backoff, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(backoff);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        _slot = new LinkSlot(this, connector, handler, state => StateChanged?.Invoke(state), e => Faulted?.Invoke(e));
        RequestTimeout = requestTimeout;
        Backoff = backoff;
        _time = time;
    }

    /// <summary>Raised (from the link's own tasks) whenever <see cref="State"/> changes.</summary>
    public event Action<RelayLinkState>? StateChanged;

    /// <summary>
    /// Raised when a connection's reading loop ended with an unexpected exception (a bug or a
    /// damaged store, not a network failure). A persistent link reconnects after it all the same.
    /// </summary>
    public event Action<Exception>? Faulted;

    /// <summary>
    /// Raised (once) when a persistent link stops trying because retrying cannot help: the session
    /// was revoked, or the account's identity was replaced from another installation.
    /// </summary>
    public event Action<ParleyClientException>? Stopped;

    /// <summary>The current state.</summary>
    public RelayLinkState State => _slot.State;

    /// <summary>Whether <see cref="Start"/> was called: the link reconnects by itself.</summary>
    public bool IsPersistent { get; private set; }

    /// <summary>How long to wait for a verdict or a presence answer.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The reconnect policy.</summary>
    public ReconnectBackoff Backoff { get; }

    /// <summary>
    /// Connects once if not connected, and returns after the handler's
    /// <see cref="IRelayHandler.OnConnectedAsync"/> ran (the outbox is flushed). A persistent link
    /// never connects from here: while it is between attempts this throws at once, so callers can say
    /// "queued, sent when the connection is back".
    /// </summary>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ParleyClientException"><see cref="ClientErrorKind.ServerUnreachable"/> and the connector's failures.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(State == RelayLinkState.Closed, this);
        if (IsPersistent)
        {
            _ = _slot.Require();
            return;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_slot.Current is { Reading.IsCompleted: false })
            {
                return;
            }

            await _slot.ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>
    /// Makes the link persistent: it connects in the background and reconnects with backoff whenever
    /// the connection is lost, until disposed. A connection already open (from <see cref="ConnectAsync"/>)
    /// is adopted as it is, not replaced: nothing queued on it is dropped or delivered twice.
    /// Calling it again does nothing.
    /// </summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(State == RelayLinkState.Closed, this);
        lock (_startLock)
        {
            if (IsPersistent)
            {
                return;
            }

            IsPersistent = true;
        }

        _runner = RunAsync(_stop.Token);
    }

    /// <summary>Completes when the server has sent everything queued for us on the current connection.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>A task that faults with <see cref="ClientErrorKind.ServerUnreachable"/> if the connection ends first.</returns>
    public async Task WhenDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _slot.Require().QueueEmpty.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
        }
    }

    /// <summary>Completes when the current connection ends (immediately when there is none).</summary>
    public Task Disconnected => _slot.Current?.Ended ?? Task.CompletedTask;

    /// <summary>Sends an envelope and waits for the server's verdict (at most <see cref="RequestTimeout"/>).</summary>
    /// <param name="send">The envelope.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ParleyClientException"><see cref="ClientErrorKind.ServerUnreachable"/> when not connected or no verdict came.</exception>
    public Task<SendResult> SendAsync(Send send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        return _slot.Require().SendAndWaitAsync(send, RequestTimeout, cancellationToken);
    }

    /// <summary>Sends an envelope without waiting for its verdict (typing notices, receipts from the reading loop).</summary>
    /// <param name="send">The envelope.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the frame is written.</returns>
    public Task SendAndForgetAsync(Send send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        return _slot.Require().SendAsync(new ClientFrame { Send = send }, cancellationToken);
    }

    /// <summary>Acknowledges a stored delivery or contact event: the server deletes it from our queue.</summary>
    /// <param name="messageId">The id of the delivered frame.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the ack is written.</returns>
    public Task AckAsync(ByteString messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return _slot.Require().SendAsync(new ClientFrame { Ack = new Ack { MessageId = messageId } }, cancellationToken);
    }

    /// <summary>
    /// Acknowledges several deliveries: the well-formed ids in one AckBatch frame (PROTOCOL.md 10.7),
    /// any other singly, as <see cref="AckAsync"/> would.
    /// </summary>
    /// <param name="messageIds">The ids of the delivered frames (at most <see cref="MessageIdList.MaxIds"/> well-formed ones).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the acks are written.</returns>
    public async Task AckManyAsync(IReadOnlyList<ByteString> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var wellFormed = messageIds.Where(id => id.Length == MessageIdList.IdBytes).ToList();
        if (wellFormed.Count > MessageIdList.MaxIds)
        {
            throw new ArgumentOutOfRangeException(nameof(messageIds));
        }

        foreach (var odd in messageIds.Where(id => id.Length != MessageIdList.IdBytes))
        {
            await AckAsync(odd, cancellationToken).ConfigureAwait(false);
        }

        if (wellFormed.Count == 1)
        {
            await AckAsync(wellFormed[0], cancellationToken).ConfigureAwait(false);
        }
        else if (wellFormed.Count > 1)
        {
            await _slot.Require().SendAsync(new ClientFrame { AckBatch = new AckBatch { MessageIds = MessageIdList.Pack(wellFormed) } }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks which of <paramref name="names"/> (all contacts when empty) are online now.</summary>
    /// <param name="names">Contacts to ask about, or none for all.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The presence of each contact the server answered for.</returns>
    public Task<IReadOnlyList<Parley.Wire.Presence>> QueryPresenceAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        return _slot.Require().QueryPresenceAsync(names, RequestTimeout, cancellationToken);
    }

    /// <summary>
    /// Drops the current socket (a persistent link then reconnects after its backoff). For tests and
    /// for "the network changed" signals.
    /// </summary>
    /// <returns>A task that completes when the socket is closed.</returns>
    public async Task DropConnectionAsync()
    {
        var current = _slot.Current;
        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (State == RelayLinkState.Closed)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _connectLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Quietly(_runner).ConfigureAwait(false);
            await _slot.CloseCurrentAsync().ConfigureAwait(false);
        }
        finally
        {
            _slot.SetState(RelayLinkState.Closed);
            _connectLock.Release();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            LinkConnection? connection = null;
            await _connectLock.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                connection = _slot.Live() ?? await _slot.ConnectOnceAsync(stop).ConfigureAwait(false);
                Backoff.Reset();
            }
            catch (Exception e) when (LinkSlot.IsRetryable(e, stop))
            {
                // Counted by the backoff below; the state already says Disconnected.
            }
            catch (ParleyClientException e)
            {
                // Retrying cannot help (the session was revoked, the account's identity replaced):
                // stop, and let every caller learn why instead of "the server cannot be reached".
                Stopped?.Invoke(_slot.Stop(e));
                return;
            }
            finally
            {
                _connectLock.Release();
            }

            if (connection is not null)
            {
                try
                {
                    // However it ended (ReportEndAsync reports faults); disposing stops waiting at once,
                    // because DisposeAsync closes the connection only after this loop has returned.
                    await connection.Ended.WaitAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(Backoff.NextDelay(), _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException or IOException)
        {
            // A connection ending is the normal way a reading loop stops.
        }
    }
}
