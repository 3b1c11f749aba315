using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;

namespace Parley.Client.Conversations;

/// <summary>
/// A live conversation with one contact, as a policy over the profile's link: the link is made
/// persistent (it reconnects by itself and resends the outbox), the contact's messages are shown as
/// they arrive (read receipts go back), other contacts' messages are stored with a delivery receipt
/// for later, and typing, receipts, presence and connection changes are reported.
/// </summary>
public sealed class ChatSession : IAsyncDisposable
{
    private readonly ParleyClient _client;
    private readonly IDisposable _subscription;
    private readonly DisplayPolicy _previousPolicy;

    private ChatSession(ParleyClient client, string peer, Action<ClientEvent> onEvent)
    {
        _client = client;
        Peer = peer;
        _previousPolicy = client.Conversations.DisplayPolicy;
        client.Conversations.DisplayPolicy = DisplayPolicy.ShowOnly(peer);
        _subscription = client.Events.Subscribe(onEvent);
    }

    /// <summary>The contact.</summary>
    public string Peer { get; }

    /// <summary>Opens the conversation: connects, resends the outbox, shows unread messages, then stays connected.</summary>
    /// <param name="client">The logged-in client.</param>
    /// <param name="peer">The contact.</param>
    /// <param name="onEvent">Called for every message and event (from the link's reading loop).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ParleyClientException">When the first connection fails (later failures reconnect).</exception>
    public static async Task<ChatSession> OpenAsync(ParleyClient client, string peer, Action<ClientEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(onEvent);
        var chat = new ChatSession(client, UserName.Parse(peer).Value, onEvent);
        try
        {
            await client.Link.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await chat.QueryPresenceAsync(cancellationToken).ConfigureAwait(false);
            client.Link.StateChanged += chat.OnStateChanged; // asks again after every reconnection
            client.Link.Start();
            return chat;
        }
        catch
        {
            await chat.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends a text message; returns when the server stored it.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the send (the message stays in the outbox).</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ParleyClientException">
    /// <see cref="ClientErrorKind.ServerUnreachableMessageQueued"/> while disconnected (sent after reconnecting), or a refusal.
    /// </exception>
    public Task<MessageId> SendAsync(string text, CancellationToken cancellationToken) =>
        _client.Conversations.SendAsync(Peer, text, cancellationToken);

    /// <summary>Tells the contact we started or stopped typing (dropped while disconnected).</summary>
    /// <param name="typing">Whether typing now.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task SetTypingAsync(bool typing, CancellationToken cancellationToken) =>
        _client.Conversations.SetTypingAsync(Peer, typing, cancellationToken);

    /// <summary>The latest messages of this conversation.</summary>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The messages, oldest first.</returns>
    public Task<IReadOnlyList<StoredMessage>> HistoryAsync(int limit, CancellationToken cancellationToken) =>
        _client.Conversations.HistoryAsync(Peer, limit, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Link.StateChanged -= OnStateChanged;
        _subscription.Dispose();
        _client.Conversations.DisplayPolicy = _previousPolicy;
        return ValueTask.CompletedTask;
    }

    private async Task QueryPresenceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.Link.QueryPresenceAsync([Peer], cancellationToken).ConfigureAwait(false);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            // Presence is a courtesy; the next connection asks again.
        }
    }

    private void OnStateChanged(RelayLinkState state)
    {
        if (state == RelayLinkState.Connected)
        {
            _ = QueryPresenceAsync(CancellationToken.None);
        }
    }
}
