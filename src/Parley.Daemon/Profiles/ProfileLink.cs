using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Parley.Client;
using Parley.Client.Relay;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>
/// One profile served by the daemon: its <see cref="ParleyClient"/>, whose <see cref="RelayLink"/> is
/// started (connects, reconnects with jittered backoff, flushes the outbox, stores each delivery
/// before acknowledging it), and the client's events turned into API events for subscribers. Events
/// other than messages are also kept (bounded) for the next <c>receive</c>. The client's services
/// serialise their own store work, so API calls use them directly.
/// </summary>
internal sealed partial class ProfileLink : IAsyncDisposable
{
    /// <summary>Non-message events kept for the next <c>receive</c>.</summary>
    public const int MaxBacklog = 1_000;

    private readonly ConcurrentQueue<EventView> _backlog = new();
    private readonly ILogger _logger;
    private readonly List<Action<EventView>> _listeners = [];
    private readonly object _stateLock = new();
    private IDisposable? _subscription;
    private bool? _connected;
    private int _stopped;

    public ProfileLink(ParleyClient client, ILogger logger)
    {
        Client = client;
        Profile = client.User.Value;
        _logger = logger;
    }

    public ParleyClient Client { get; }

    public string Profile { get; }

    public bool IsConnected => Client.Link.State == RelayLinkState.Connected;

    /// <summary>Subscribes to the client's events and starts its link.</summary>
    public void Start()
    {
        Client.Calls.Rings = true; // the web app this daemon serves answers calls
        _subscription = Client.Events.Subscribe(OnClientEvent);
        Client.Link.StateChanged += OnStateChanged;
        Client.Link.Start();
    }

    /// <summary>
    /// Tells <paramref name="listener"/> the link's current state as a <c>connection</c> event, under
    /// the lock that orders state changes: a change after this read is published after it, so a new
    /// subscriber never ends on a stale state.
    /// </summary>
    public void SendState(Action<EventView> listener)
    {
        lock (_stateLock)
        {
            listener(EventView.Connection(Profile, _connected ?? IsConnected));
        }
    }

    /// <summary>Calls <paramref name="listener"/> for every event of this profile until the result is disposed.</summary>
    public IDisposable Listen(Action<EventView> listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        return new Unlisten(this, listener);
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

    /// <summary>Closes the relay link (waiting for a frame in progress to be stored); the client stays open (for logout) until <see cref="DisposeAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        Client.Link.StateChanged -= OnStateChanged;
        _subscription?.Dispose();
        await Client.Link.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await Client.DisposeAsync().ConfigureAwait(false);
    }

    private void OnClientEvent(ClientEvent e)
    {
        if (e.Kind is ClientEventKind.ConnectionLost or ClientEventKind.ConnectionRestored)
        {
            return; // reported from the link's state, for every connection (the first one too)
        }

        if (e.Kind == ClientEventKind.IdentityReplaced)
        {
            Log.IdentityReplaced(_logger);
        }

        var view = EventView.FromClientEvent(e, Profile);
        if (e.Kind != ClientEventKind.Message && !(e.Call is { } call && !IsWorthKeeping(call)))
        {
            _backlog.Enqueue(view);
            while (_backlog.Count > MaxBacklog && _backlog.TryDequeue(out _))
            {
            }
        }

        Publish(view);
    }

    /// <summary>Of a call, <c>receive</c> reports the ringing and the history record; media and other states are only for the live browser.</summary>
    private static bool IsWorthKeeping(Parley.Client.Calls.CallUpdate call) =>
        call.Kind == Parley.Client.Calls.CallUpdateKind.Recorded || call.Snapshot?.State == Parley.Client.Calls.CallState.Incoming;

    /// <summary>Reports connected and disconnected once per change (not once per failed attempt while the server is down).</summary>
    private void OnStateChanged(RelayLinkState state)
    {
        if (state is not (RelayLinkState.Connected or RelayLinkState.Disconnected))
        {
            return;
        }

        var connected = state == RelayLinkState.Connected;
        lock (_stateLock)
        {
            if (_connected == connected)
            {
                return;
            }

            _connected = connected;
        }

        if (connected)
        {
            Log.Connected(_logger);
        }
        else
        {
            Log.Disconnected(_logger);
        }

        Publish(EventView.Connection(Profile, connected));
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

        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning,
            Message = "The account's identity was replaced by a login from another installation; this profile's relay link stopped (log in with --replace-identity to take it back)")]
        public static partial void IdentityReplaced(ILogger logger);
    }
}
