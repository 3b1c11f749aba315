using Parley.Client;
using Parley.Client.Errors;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>
/// Sending, receiving and typing for one profile: in a command's own process (<paramref name="link"/>
/// null: the client's link connects once for the call) or over the daemon's live link, where
/// messages were stored and announced as they arrived and <c>receive</c> hands out what is waiting.
/// </summary>
internal sealed class MessagingOperations(ParleyClient client, ProfileLink? link)
{
    public async Task<SentResult> SendAsync(SendParams p, CancellationToken ct)
    {
        ProfileOperations.CheckText(p.Text);
        var id = await client.Conversations.SendAsync(p.To, p.Text, ct).ConfigureAwait(false);
        return new SentResult { Id = id.ToString(), To = p.To };
    }

    public async Task<OkResult> TypingAsync(TypingParams p, CancellationToken ct)
    {
        await client.Conversations.SetTypingAsync(p.To, p.Typing, ct).ConfigureAwait(false);
        return new OkResult();
    }

    public async Task<ReceiveResult> ReceiveAsync(ReceiveParams p, Action<EventView> onEvent, CancellationToken ct)
    {
        if (p.Wait is < 0 or > ApiLimits.MaxWaitSeconds)
        {
            throw ApiException.InvalidParams($"--wait must be between 0 and {ApiLimits.MaxWaitSeconds} seconds.");
        }

        var count = 0;
        void Emit(EventView e)
        {
            Interlocked.Increment(ref count);
            onEvent(e);
        }

        if (link is null)
        {
            await client.Conversations.ReceiveAsync(TimeSpan.FromSeconds(p.Wait), e => Emit(EventView.FromClientEvent(e)), ct).ConfigureAwait(false);
            return new ReceiveResult { Count = count };
        }

        await BarrierAsync(ct).ConfigureAwait(false);
        foreach (var e in link.TakeBacklog())
        {
            Emit(Strip(e));
        }

        await ShowUnreadAsync(null, Emit, ct).ConfigureAwait(false);
        if (p.Wait > 0)
        {
            await StreamAsync(TimeSpan.FromSeconds(p.Wait), Emit, ct).ConfigureAwait(false);
        }

        return new ReceiveResult { Count = count };
    }

    /// <summary>
    /// A presence query answered by the server: frames are handled in order, so everything the server
    /// sent before its answer is stored when this returns. Offline, what is stored is all there is.
    /// </summary>
    private async Task BarrierAsync(CancellationToken ct)
    {
        try
        {
            await client.Presence.OnlineContactsAsync(ct).ConfigureAwait(false);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            // Disconnected: the stored messages are handed out below.
        }
    }

    /// <summary>Hands out unshown messages (of one peer or all), which count as read from now on.</summary>
    private async Task ShowUnreadAsync(string? peer, Action<EventView> emit, CancellationToken ct)
    {
        foreach (var m in await client.Conversations.TakeUnreadAsync(peer, ct).ConfigureAwait(false))
        {
            emit(EventView.FromMessage(m));
        }
    }

    /// <summary>Streams live events for <paramref name="wait"/>; messages are shown as they arrive.</summary>
    private async Task StreamAsync(TimeSpan wait, Action<EventView> emit, CancellationToken ct)
    {
        var arrived = System.Threading.Channels.Channel.CreateUnbounded<EventView>();
        using (link!.Listen(e => arrived.Writer.TryWrite(e)))
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
            window.CancelAfter(wait);
            try
            {
                await foreach (var e in arrived.Reader.ReadAllAsync(window.Token).ConfigureAwait(false))
                {
                    if (e.Type == "message" && e.From is { } from)
                    {
                        await ShowUnreadAsync(from, emit, ct).ConfigureAwait(false);
                    }
                    else if (e.Type is not ("message" or "connection"))
                    {
                        emit(Strip(e));
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The wait is over.
            }
        }

        link.TakeBacklog(); // everything kept meanwhile was just streamed
    }

    /// <summary>The event as a command prints it: the profile is implied by the call.</summary>
    private static EventView Strip(EventView e) => e.Profile is null ? e : new EventView
    {
        Type = e.Type, User = e.User, Id = e.Id, From = e.From, To = e.To, Direction = e.Direction, Text = e.Text, SentAt = e.SentAt,
        State = e.State, Note = e.Note, Online = e.Online, Typing = e.Typing, Ids = e.Ids, Connected = e.Connected, Bytes = e.Bytes, Total = e.Total, File = e.File, Call = e.Call,
    };
}
