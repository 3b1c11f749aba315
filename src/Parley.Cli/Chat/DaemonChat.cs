using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Parley.Daemon.Remote;

namespace Parley.Cli.Chat;

/// <summary>
/// Chat through the running daemon: calls go over one connection, events arrive on a second,
/// subscribed one. The daemon's live link stays the only relay connection of the profile, so a
/// <c>parley send</c> in another terminal disconnects nothing.
/// </summary>
internal sealed class DaemonChat : IChat
{
    private readonly RemoteApi _calls;
    private readonly RemoteApi _events;
    private readonly string? _profile;
    private readonly CancellationTokenSource _stop = new();
    private Task _listening = Task.CompletedTask;

    private DaemonChat(RemoteApi calls, RemoteApi events, string? profile, string peer)
    {
        _calls = calls;
        _events = events;
        _profile = profile;
        Peer = peer;
    }

    public string Peer { get; }

    public Task Completion => _listening;

    public static async Task<DaemonChat> OpenAsync(RemoteApi calls, RemoteApi events, string? profile, string peer, Action<EventView> onEvent, CancellationToken ct)
    {
        var name = UserName.Parse(peer).Value;
        var me = await calls.WhoAmIAsync(new ProfileParams { Profile = profile }, ct).ConfigureAwait(false);
        var chat = new DaemonChat(calls, events, me.User, name);
        await events.SubscribeAsync(new SubscribeParams { Profile = me.User }, ct).ConfigureAwait(false);
        var unread = System.Threading.Channels.Channel.CreateUnbounded<bool>();
        chat._listening = chat.ListenAsync(onEvent, unread.Writer);
        foreach (var m in await chat.TakeUnreadAsync(ct).ConfigureAwait(false))
        {
            onEvent(m);
        }

        _ = chat.ShowArrivalsAsync(unread.Reader, onEvent);
        return chat;
    }

    public async Task<string> SendAsync(string text, CancellationToken ct) =>
        (await _calls.SendAsync(new SendParams { Profile = _profile, To = Peer, Text = text }, ct).ConfigureAwait(false)).Id;

    public Task SetTypingAsync(bool typing, CancellationToken ct) => _calls.TypingAsync(new TypingParams { Profile = _profile, To = Peer, Typing = typing }, ct);

    public async Task<IReadOnlyList<EventView>> HistoryAsync(int limit, CancellationToken ct) =>
        (await _calls.HistoryAsync(new HistoryParams { Profile = _profile, User = Peer, Limit = limit }, ct).ConfigureAwait(false)).Messages;

    public Task<VerifyResult> VerifyAsync(CancellationToken ct) => _calls.VerifyAsync(new VerifyParams { Profile = _profile, User = Peer }, ct);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _events.DisposeAsync().ConfigureAwait(false);
        await _calls.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task<IReadOnlyList<EventView>> TakeUnreadAsync(CancellationToken ct) =>
        (await _calls.HistoryAsync(new HistoryParams { Profile = _profile, User = Peer, Unread = true }, ct).ConfigureAwait(false)).Messages;

    /// <summary>Shows the peer's messages as they arrive (taking them as read), one batch at a time.</summary>
    private async Task ShowArrivalsAsync(System.Threading.Channels.ChannelReader<bool> arrivals, Action<EventView> onEvent)
    {
        try
        {
            await foreach (var _ in arrivals.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                foreach (var m in await TakeUnreadAsync(_stop.Token).ConfigureAwait(false))
                {
                    onEvent(m);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or Parley.Client.Errors.ParleyClientException)
        {
            // The chat ended.
        }
    }

    private async Task ListenAsync(Action<EventView> onEvent, System.Threading.Channels.ChannelWriter<bool> arrivals)
    {
        try
        {
            await _events.ListenAsync(e =>
            {
                if (e.Type == "message")
                {
                    if (e.From == Peer)
                    {
                        arrivals.TryWrite(true);
                    }

                    return;
                }

                var forPeer = e.User is null || e.User == Peer || e.Type.StartsWith("contact-", StringComparison.Ordinal) || e.Type == "key-changed";
                if (forPeer && e.Type != "transfer")
                {
                    onEvent(e);
                }
            }, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Closed.
        }
        finally
        {
            arrivals.TryComplete();
        }
    }
}
