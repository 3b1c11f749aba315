using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Relay;
using Parley.Daemon.Api;
using Parley.Wire;

namespace Parley.Daemon.Profiles;

/// <summary>
/// One profile's live connection to its server: connects, reconnects with jittered exponential
/// backoff, resends the outbox on every connection, stores each delivery before acknowledging it,
/// tracks contacts' presence and raises events. One gate serialises all store and session work
/// between the reading loop and API calls (the profile has one SQLite connection).
/// </summary>
internal sealed partial class ProfileLink : IAsyncDisposable
{
    /// <summary>The first wait before reconnecting.</summary>
    public static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(15);

    /// <summary>Non-message events kept for the next <c>receive</c>.</summary>
    public const int MaxBacklog = 1_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, bool> _online = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<EventView> _backlog = new();
    private readonly ILogger _logger;
    private readonly List<Action<EventView>> _listeners = [];
    private TaskCompletionSource? _syncDone;
    private RelayPump? _pump;
    private Task _loop = Task.CompletedTask;

    public ProfileLink(ParleyClient client, ILogger logger)
    {
        Client = client;
        Profile = client.User.Value;
        _logger = logger;
    }

    public ParleyClient Client { get; }

    public string Profile { get; }

    public bool IsConnected => _pump is not null;

    /// <summary>The pump of the open connection, or null while disconnected.</summary>
    public RelayPump? Pump => _pump;

    public IReadOnlyList<string> OnlineContacts => _online.Where(p => p.Value).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    public void Start() => _loop = RunAsync();

    /// <summary>Calls <paramref name="listener"/> for every event of this profile until the result is disposed.</summary>
    public IDisposable Listen(Action<EventView> listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        return new Unlisten(this, listener);
    }

    /// <summary>Sends the outbox over the live connection; returns the server's verdict on <paramref name="id"/>.</summary>
    public async Task FlushAsync(MessageId id, CancellationToken cancellationToken)
    {
        var pump = _pump ?? throw new ParleyClientException(ClientErrorKind.ServerUnreachableMessageQueued);
        Dictionary<MessageId, ClientErrorKind> failures;
        try
        {
            failures = await Client.FlushOutboxLockedAsync(pump, _gate, cancellationToken).ConfigureAwait(false);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachableMessageQueued, e);
        }

        if (failures.TryGetValue(id, out var kind))
        {
            throw new ParleyClientException(kind);
        }
    }

    /// <summary>Runs <paramref name="action"/> while holding the profile's store gate.</summary>
    public async Task<T> WithGateAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes the events kept since the last <c>receive</c>.</summary>
    public IReadOnlyList<EventView> TakeBacklog()
    {
        var list = new List<EventView>();
        while (_backlog.TryDequeue(out var e))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>
    /// Asks the server for every contact's presence and waits for its answer: frames the server sent
    /// before it (deliveries, contact events) have been handled when this returns.
    /// </summary>
    public async Task SyncAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pump = _pump;
        if (pump is null)
        {
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _syncDone, done)?.TrySetResult();
        try
        {
            await pump.Connection.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery() }, cancellationToken).ConfigureAwait(false);
            await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or ParleyClientException)
        {
            // A slow or lost connection: the caller works with what is stored.
        }
    }

    /// <summary>Stops the connection loop; the client stays open (for logout) until <see cref="DisposeAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException or TimeoutException)
        {
            // Cancellation or a closed socket is the normal end.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);

        // Let a frame or a call in progress finish before the store closes.
        await _gate.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await Client.DisposeAsync().ConfigureAwait(false);
    }

    private void Emit(ClientEvent e)
    {
        if (e.Kind == ClientEventKind.Presence)
        {
            _online[e.Peer] = e.Online;
        }

        var view = EventView.FromClientEvent(e, Profile);
        if (e.Kind != ClientEventKind.Message)
        {
            _backlog.Enqueue(view);
            while (_backlog.Count > MaxBacklog && _backlog.TryDequeue(out _))
            {
            }
        }

        Publish(view);
    }

    private void Publish(EventView view)
    {
        Action<EventView>[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener(view);
        }
    }

    private async Task HandleFrameAsync(ServerFrame frame, RelayPump pump)
    {
        if (frame.KindCase == ServerFrame.KindOneofCase.PresenceQueryDone)
        {
            Volatile.Read(ref _syncDone)?.TrySetResult();
            return;
        }

        MessageId id = default;
        var isNew = frame.KindCase == ServerFrame.KindOneofCase.Deliver
            && MessageId.TryFromBytes(frame.Deliver.MessageId.Span, out id)
            && !Client.Store.HasMessage(id);
        await Client.HandleFrameAsync(frame, pump, _ => false, Emit, _stop.Token).ConfigureAwait(false);
        if (isNew && Client.Store.GetMessage(id) is { Direction: MessageDirection.Incoming } message)
        {
            Publish(EventView.FromMessage(message, Profile));
        }
    }

    private async Task<(RelayConnection Relay, Task Reading)> ConnectAsync(CancellationToken cancellationToken)
    {
        var relay = await Client.ConnectRelayForChatAsync(cancellationToken).ConfigureAwait(false);
        RelayPump? pump = null;
        pump = new RelayPump(relay, frame => WithGateAsync(async () =>
        {
            await HandleFrameAsync(frame, pump!).ConfigureAwait(false);
            return true;
        }, _stop.Token));
        var reading = pump.RunAsync(_stop.Token);
        try
        {
            _online.Clear();
            await relay.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery() }, cancellationToken).ConfigureAwait(false);
            _pump = pump;
            await Client.FlushOutboxLockedAsync(pump, _gate, cancellationToken).ConfigureAwait(false);
            return (relay, reading);
        }
        catch
        {
            _pump = null;
            await relay.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync()
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested)
        {
            (RelayConnection Relay, Task Reading) connection;
            try
            {
                connection = await ConnectAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ParleyClientException e) when (e.Kind is not ClientErrorKind.NotLoggedIn)
            {
                attempt++;
                Log.ConnectFailed(_logger, e.Kind);
                await DelayAsync(attempt).ConfigureAwait(false);
                continue;
            }
            catch (ParleyClientException)
            {
                Log.LoggedOutByServer(_logger);
                return;
            }

            attempt = 0;
            Log.Connected(_logger);
            Publish(EventView.Connection(Profile, true));
            await Quietly(connection.Reading).ConfigureAwait(false);
            _pump = null;
            _online.Clear();
            await connection.Relay.DisposeAsync().ConfigureAwait(false);
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            Log.Disconnected(_logger);
            Publish(EventView.Connection(Profile, false));
            attempt++;
            await DelayAsync(attempt).ConfigureAwait(false);
        }
    }

    /// <summary>Exponential backoff with full jitter between half and all of the step.</summary>
    private async Task DelayAsync(int attempt)
    {
        var step = Math.Min(MaxReconnectDelay.TotalMilliseconds, FirstReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 10)));
        var jittered = (step / 2) + (step / 2 * RandomNumberGenerator.GetInt32(0, 1001) / 1000.0);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(jittered), _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task Quietly(Task reading)
    {
        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException)
        {
            // The socket closed or the link is stopping: the loop decides what comes next.
        }
    }

    private sealed class Unlisten(ProfileLink link, Action<EventView> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (link._listeners)
            {
                link._listeners.Remove(listener);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Relay link connected")]
        public static partial void Connected(ILogger logger);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Relay link lost; reconnecting")]
        public static partial void Disconnected(ILogger logger);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Relay link could not connect ({Kind}); retrying")]
        public static partial void ConnectFailed(ILogger logger, ClientErrorKind kind);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "The server no longer accepts this profile's session; log in again")]
        public static partial void LoggedOutByServer(ILogger logger);
    }
}
