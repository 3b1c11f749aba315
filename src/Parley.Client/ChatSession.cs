using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client;

/// <summary>
/// A live conversation with one contact: incoming messages are shown (and read receipts sent) as
/// they arrive, other contacts' messages are stored with a delivery receipt, typing notices and
/// receipts travel as encrypted control messages. The connection is re-opened when it drops (the
/// server also replaces it when another command of the same account connects), and the outbox is
/// resent each time. One gate serialises all store and session work between the reading loop and
/// the user's sends.
/// </summary>
public sealed class ChatSession : IAsyncDisposable
{
    /// <summary>The longest wait between reconnection attempts.</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromSeconds(2);

    private readonly ParleyClient _client;
    private readonly Action<ClientEvent> _onEvent;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private RelayPump? _pump;
    private Task _loop = Task.CompletedTask;

    private ChatSession(ParleyClient client, string peer, Action<ClientEvent> onEvent)
    {
        _client = client;
        Peer = peer;
        _onEvent = onEvent;
    }

    /// <summary>The contact.</summary>
    public string Peer { get; }

    /// <summary>Completes when the session is disposed.</summary>
    public Task Completion => _loop;

    /// <summary>Opens the conversation: connects, resends the outbox, shows unread messages.</summary>
    /// <param name="client">The logged-in client.</param>
    /// <param name="peer">The contact.</param>
    /// <param name="onEvent">Called for every message and event (from the reading loop).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ParleyClientException">When the first connection fails (later failures reconnect).</exception>
    public static async Task<ChatSession> OpenAsync(ParleyClient client, string peer, Action<ClientEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(onEvent);
        var chat = new ChatSession(client, UserName.Parse(peer).Value, onEvent);
        var first = await chat.ConnectAsync(cancellationToken).ConfigureAwait(false);
        chat._loop = chat.RunAsync(first);
        return chat;
    }

    /// <summary>Sends a text message; returns when the server stored it.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the send (the message stays in the outbox).</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ParleyClientException">
    /// <see cref="ClientErrorKind.ServerUnreachableMessageQueued"/> while disconnected (sent after reconnecting), or a refusal.
    /// </exception>
    public async Task<MessageId> SendAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        MessageId id = default;
        await WithGateAsync(async () => id = await _client.PrepareTextAsync(Peer, text, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var pump = _pump ?? throw new ParleyClientException(ClientErrorKind.ServerUnreachableMessageQueued);
        try
        {
            var failures = await _client.FlushOutboxLockedAsync(pump, _gate, cancellationToken).ConfigureAwait(false);
            return failures.TryGetValue(id, out var kind) ? throw new ParleyClientException(kind) : id;
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            throw new ParleyClientException(ClientErrorKind.ServerUnreachableMessageQueued, e);
        }
    }

    /// <summary>Tells the contact we started or stopped typing (dropped while disconnected).</summary>
    /// <param name="typing">Whether typing now.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task SetTypingAsync(bool typing, CancellationToken cancellationToken)
    {
        var pump = _pump;
        if (pump is null)
        {
            return Task.CompletedTask;
        }

        var content = new MessageContent { Kind = MessageContent.TypingKind, Id = MessageId.New().ToString(), SentAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Typing = typing };
        return WithGateAsync(() => _client.SendControlAsync(pump, Peer, content, EnvelopeType.Typing, cancellationToken), cancellationToken);
    }

    /// <summary>The latest messages of this conversation.</summary>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels waiting for the gate.</param>
    /// <returns>The messages, oldest first.</returns>
    public async Task<IReadOnlyList<StoredMessage>> HistoryAsync(int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredMessage> result = [];
        await WithGateAsync(() =>
        {
            result = _client.Store.History(Peer, limit);
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs <paramref name="action"/> while holding the store gate (for safety numbers and similar).</summary>
    /// <param name="action">The work.</param>
    /// <param name="cancellationToken">Cancels waiting for the gate.</param>
    /// <returns>A task.</returns>
    public async Task WithGateAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException or TimeoutException)
        {
            // Ending the loop by cancellation or a closed socket is the normal end.
        }

        _stop.Dispose();
        _gate.Dispose();
    }

    private async Task<(RelayConnection Relay, RelayPump Pump, Task Reading)> ConnectAsync(CancellationToken cancellationToken)
    {
        var relay = await _client.ConnectRelayForChatAsync(cancellationToken).ConfigureAwait(false);
        RelayPump? pump = null;
        pump = new RelayPump(relay, frame => WithGateAsync(() => _client.HandleFrameAsync(frame, pump!, sender => sender == Peer, _onEvent, _stop.Token), _stop.Token));
        var reading = pump.RunAsync(_stop.Token);
        try
        {
            await WithGateAsync(() => _client.ShowUnshownAsync(pump, Peer, _onEvent, cancellationToken), cancellationToken).ConfigureAwait(false);
            await relay.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery { Usernames = { Peer } } }, cancellationToken).ConfigureAwait(false);
            _pump = pump;
            await _client.FlushOutboxLockedAsync(pump, _gate, cancellationToken).ConfigureAwait(false);
            return (relay, pump, reading);
        }
        catch
        {
            _pump = null;
            await relay.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync((RelayConnection Relay, RelayPump Pump, Task Reading) connection)
    {
        var delay = FirstReconnectDelay;
        while (true)
        {
            await Quietly(connection.Reading).ConfigureAwait(false);
            _pump = null;
            await connection.Relay.DisposeAsync().ConfigureAwait(false);
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _onEvent(new ClientEvent { Kind = ClientEventKind.ConnectionLost, Peer = Peer });
            while (true)
            {
                try
                {
                    await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                    connection = await ConnectAsync(_stop.Token).ConfigureAwait(false);
                    _onEvent(new ClientEvent { Kind = ClientEventKind.ConnectionRestored, Peer = Peer });
                    delay = FirstReconnectDelay;
                    break;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ParleyClientException e) when (e.Kind is ClientErrorKind.ServerUnreachable or ClientErrorKind.Refused)
                {
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
                }
            }
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
            // The socket closed or the session was disposed: the loop decides what comes next.
        }
    }
}
