using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client;

/// <summary>
/// A live conversation with one contact over one relay connection: incoming messages are shown
/// (and read receipts sent) as they arrive, other contacts' messages are stored with a delivery
/// receipt, typing notices and receipts travel as encrypted control messages. One gate serialises
/// all store and session work between the reading loop and the user's sends.
/// </summary>
public sealed class ChatSession : IAsyncDisposable
{
    private readonly ParleyClient _client;
    private readonly RelayConnection _relay;
    private readonly RelayPump _pump;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private ChatSession(ParleyClient client, RelayConnection relay, string peer, Action<ClientEvent> onEvent)
    {
        _client = client;
        _relay = relay;
        Peer = peer;
        _pump = new RelayPump(relay, frame => OnFrameAsync(frame, onEvent));
    }

    /// <summary>The contact.</summary>
    public string Peer { get; }

    /// <summary>Completes when the connection ends (server gone or disposed).</summary>
    public Task Completion => _running;

    /// <summary>Opens the conversation: connects, resends the outbox, shows unread messages.</summary>
    /// <param name="client">The logged-in client.</param>
    /// <param name="peer">The contact.</param>
    /// <param name="onEvent">Called for every message and event (from the reading loop).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The session.</returns>
    public static async Task<ChatSession> OpenAsync(ParleyClient client, string peer, Action<ClientEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(onEvent);
        var name = UserName.Parse(peer).Value;
        var relay = await client.ConnectRelayForChatAsync(cancellationToken).ConfigureAwait(false);
        var chat = new ChatSession(client, relay, name, onEvent);
        chat._running = chat._pump.RunAsync(chat._stop.Token);
        await chat.WithGateAsync(() => client.ShowUnshownAsync(chat._pump, name, onEvent, cancellationToken), cancellationToken).ConfigureAwait(false);
        await relay.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery { Usernames = { name } } }, cancellationToken).ConfigureAwait(false);
        return chat;
    }

    /// <summary>Sends a text message; returns when the server stored it.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the send (the message stays in the outbox).</param>
    /// <returns>The message id.</returns>
    public async Task<MessageId> SendAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        MessageId id = default;
        await WithGateAsync(async () => id = await _client.PrepareTextAsync(Peer, text, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var failures = await _client.FlushOutboxLockedAsync(_pump, _gate, cancellationToken).ConfigureAwait(false);
        return failures.TryGetValue(id, out var kind) ? throw new ParleyClientException(kind) : id;
    }

    /// <summary>Tells the contact we started or stopped typing.</summary>
    /// <param name="typing">Whether typing now.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task SetTypingAsync(bool typing, CancellationToken cancellationToken)
    {
        var content = new MessageContent { Kind = MessageContent.TypingKind, Id = MessageId.New().ToString(), SentAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Typing = typing };
        return WithGateAsync(() => _client.SendControlAsync(_pump, Peer, content, EnvelopeType.Typing, cancellationToken), cancellationToken);
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
            await _running.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyClientException or TimeoutException)
        {
            // Ending the loop by cancellation or a closed socket is the normal end.
        }

        await _relay.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _gate.Dispose();
    }

    private Task OnFrameAsync(ServerFrame frame, Action<ClientEvent> onEvent) =>
        WithGateAsync(() => _client.HandleFrameAsync(frame, _pump, sender => sender == Peer, onEvent, _stop.Token), _stop.Token);
}
