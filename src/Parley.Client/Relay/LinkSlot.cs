using Parley.Client.Errors;

namespace Parley.Client.Relay;

/// <summary>
/// The one current connection of a <see cref="RelayLink"/> and the link's state: opening a connection
/// (socket, reading loop, the handler's connect step), noticing when it ends, and the state changes
/// that come with both. The link decides when to connect; the slot how.
/// </summary>
internal sealed class LinkSlot
{
    private readonly RelayLink _link;
    private readonly IRelayConnector _connector;
    private readonly IRelayHandler _handler;
    private readonly Action<RelayLinkState> _stateChanged;
    private readonly Action<Exception> _faulted;
    private readonly object _stateLock = new();
    private RelayLinkState _state = RelayLinkState.Disconnected;

    /// <summary>Why a persistent link stopped trying (the session ended, the identity was replaced), or null.</summary>
    private volatile ParleyClientException? _stoppedBy;

    public LinkSlot(RelayLink link, IRelayConnector connector, IRelayHandler handler, Action<RelayLinkState> stateChanged, Action<Exception> faulted)
    {
        _link = link;
        _connector = connector;
        _handler = handler;
        _stateChanged = stateChanged;
        _faulted = faulted;
    }

    /// <summary>The current connection (open or ended), or null.</summary>
    public LinkConnection? Current { get; private set; }

    public RelayLinkState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>Why the link stopped for good, or null.</summary>
    public ParleyClientException? StoppedBy => _stoppedBy;

    /// <summary>The current connection, or the reason there is none.</summary>
    public LinkConnection Require() => Live() ?? throw _stoppedBy ?? new ParleyClientException(ClientErrorKind.ServerUnreachable);

    /// <summary>The current connection if it is open and its connect step ran; otherwise null.</summary>
    public LinkConnection? Live() =>
        Current is { Reading.IsCompleted: false } current && State == RelayLinkState.Connected ? current : null;

    /// <summary>Records why retrying cannot help (the first reason wins) and reports the link disconnected.</summary>
    public ParleyClientException Stop(ParleyClientException reason)
    {
        _stoppedBy ??= reason;
        SetState(RelayLinkState.Disconnected);
        return _stoppedBy;
    }

    /// <summary>Opens a socket, starts reading and runs the handler's connect step (caller holds the link's connect lock).</summary>
    public async Task<LinkConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        await CloseCurrentAsync().ConfigureAwait(false);
        SetState(RelayLinkState.Connecting);
        LinkConnection connection;
        try
        {
            connection = new LinkConnection(await _connector.ConnectAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            if (e is ParleyClientException final && !IsRetryable(final, CancellationToken.None))
            {
                _stoppedBy = final; // before the state changes, so whoever sees "disconnected" learns why
            }

            SetState(RelayLinkState.Disconnected);
            throw;
        }

        _stoppedBy = null;
        Current = connection;
        connection.Start(_link, _handler);
        SetState(RelayLinkState.Connected);
        _ = AfterDrainAsync(connection);
        _ = ReportEndAsync(connection);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Closing);
        try
        {
            await _handler.OnConnectedAsync(_link, linked.Token).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return connection;
    }

    /// <summary>Closes the current connection, if any, and forgets it.</summary>
    public async Task CloseCurrentAsync()
    {
        if (Current is { } current)
        {
            await current.DisposeAsync().ConfigureAwait(false);
            Current = null;
        }
    }

    public void SetState(RelayLinkState state)
    {
        lock (_stateLock)
        {
            if (_state == state || _state == RelayLinkState.Closed)
            {
                return;
            }

            _state = state;
        }

        _stateChanged(state);
    }

    /// <summary>Whether another attempt may succeed (network trouble, a refusal, a garbled answer).</summary>
    public static bool IsRetryable(Exception e, CancellationToken stop) => e switch
    {
        OperationCanceledException => !stop.IsCancellationRequested,
        ParleyClientException p => p.Kind is ClientErrorKind.ServerUnreachable or ClientErrorKind.Refused or ClientErrorKind.ProtocolViolation,
        IOException or TimeoutException => true,
        _ => false,
    };

    private async Task AfterDrainAsync(LinkConnection connection)
    {
        try
        {
            await connection.QueueEmpty.ConfigureAwait(false);
            await _handler.OnDrainedAsync(_link, connection.Closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ParleyClientException or OperationCanceledException)
        {
            // The connection ended first, or the top-up failed: both are retried on the next connection.
        }
    }

    private async Task ReportEndAsync(LinkConnection connection)
    {
        try
        {
            await connection.Reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException or IOException)
        {
            // A connection ending is the normal way a reading loop stops.
        }
        catch (Exception e)
        {
            _faulted(e);
        }

        lock (_stateLock)
        {
            if (!ReferenceEquals(Current, connection) || _state != RelayLinkState.Connected)
            {
                return;
            }
        }

        SetState(RelayLinkState.Disconnected);
    }
}
