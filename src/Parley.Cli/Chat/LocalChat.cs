using Parley.Client;
using Parley.Client.Conversations;
using Parley.Daemon.Api;

namespace Parley.Cli.Chat;

/// <summary>Chat in this process: a <see cref="ChatSession"/> on its own relay connection (no daemon runs).</summary>
internal sealed class LocalChat : IChat
{
    private readonly ParleyClient _client;
    private readonly ChatSession _session;

    private LocalChat(ParleyClient client, ChatSession session)
    {
        _client = client;
        _session = session;
    }

    public string Peer => _session.Peer;

    public Task Completion => Task.Delay(Timeout.Infinite);

    public static async Task<LocalChat> OpenAsync(ParleyClient client, string peer, Action<EventView> onEvent, CancellationToken ct)
    {
        var session = await ChatSession.OpenAsync(client, peer, e => onEvent(EventView.FromClientEvent(e)), ct).ConfigureAwait(false);
        return new LocalChat(client, session);
    }

    public async Task<string> SendAsync(string text, CancellationToken ct) => (await _session.SendAsync(text, ct).ConfigureAwait(false)).ToString();

    public Task SetTypingAsync(bool typing, CancellationToken ct) => _session.SetTypingAsync(typing, ct);

    public async Task<IReadOnlyList<EventView>> HistoryAsync(int limit, CancellationToken ct) =>
        (await _session.HistoryAsync(limit, ct).ConfigureAwait(false)).Select(m => EventView.FromMessage(m)).ToList();

    public async Task<VerifyResult> VerifyAsync(CancellationToken ct)
    {
        var number = await _client.Identity.GetSafetyNumberAsync(Peer, ct).ConfigureAwait(false);
        return new VerifyResult
        {
            User = Peer,
            SafetyNumber = number.ToDisplayString(),
            Qr = Convert.ToBase64String(number.ToQrPayload()),
            Verified = await _client.Identity.IsVerifiedAsync(Peer, ct).ConfigureAwait(false),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }
}
