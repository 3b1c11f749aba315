using Parley.Client;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Parley.Wire;

namespace Parley.Daemon.Profiles;

/// <summary>
/// Sending, receiving and typing for one profile: over a fresh relay connection per call in a
/// command's own process (<paramref name="link"/> null), or over the daemon's live link, taking
/// its gate only around store work so that waiting for the server never blocks incoming frames.
/// </summary>
internal sealed class MessagingOperations(ParleyClient client, ProfileLink? link)
{
    /// <summary>How long <c>receive</c> waits for the server to hand over what it had.</summary>
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(10);

    public async Task<SentResult> SendAsync(SendParams p, CancellationToken ct)
    {
        ProfileOperations.CheckText(p.Text);
        MessageId id;
        if (link is null)
        {
            id = await client.SendAsync(p.To, p.Text, ct).ConfigureAwait(false);
        }
        else
        {
            var name = UserName.Parse(p.To).Value;
            id = await link.WithGateAsync(() => client.PrepareTextAsync(name, p.Text, ct), ct).ConfigureAwait(false);
            await link.FlushAsync(id, ct).ConfigureAwait(false);
        }

        return new SentResult { Id = id.ToString(), To = p.To };
    }

    public async Task<OkResult> TypingAsync(TypingParams p, CancellationToken ct)
    {
        var name = UserName.Parse(p.To).Value;
        if (link?.Pump is { } pump)
        {
            var content = new MessageContent { Kind = MessageContent.TypingKind, Id = MessageId.New().ToString(), SentAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Typing = p.Typing };
            await link.WithGateAsync(async () =>
            {
                await client.SendControlAsync(pump, name, content, EnvelopeType.Typing, ct).ConfigureAwait(false);
                return true;
            }, ct).ConfigureAwait(false);
        }

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
            await client.ReceiveAsync(TimeSpan.FromSeconds(p.Wait), e => Emit(EventView.FromClientEvent(e)), ct).ConfigureAwait(false);
            return new ReceiveResult { Count = count };
        }

        await link.SyncAsync(SyncTimeout, ct).ConfigureAwait(false);
        await link.WithGateAsync(() => TakeWaitingAsync(null, Emit, ct), ct).ConfigureAwait(false);
        if (p.Wait > 0)
        {
            await StreamAsync(TimeSpan.FromSeconds(p.Wait), Emit, ct).ConfigureAwait(false);
        }

        return new ReceiveResult { Count = count };
    }

    /// <summary>Reports kept events and unshown messages (which become shown: read receipts go out).</summary>
    private async Task<bool> TakeWaitingAsync(string? peer, Action<EventView> emit, CancellationToken ct)
    {
        if (peer is null)
        {
            foreach (var e in link!.TakeBacklog())
            {
                emit(Strip(e));
            }
        }

        if (link!.Pump is { } pump)
        {
            await client.ShowUnshownAsync(pump, peer, e => emit(EventView.FromClientEvent(e)), ct).ConfigureAwait(false);
        }
        else
        {
            foreach (var m in client.Store.TakeUnshownIncoming(peer))
            {
                emit(EventView.FromMessage(m));
            }
        }

        return true;
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
                        await link.WithGateAsync(() => TakeWaitingAsync(from, emit, ct), ct).ConfigureAwait(false);
                    }
                    else if (e.Type != "connection")
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
        State = e.State, Note = e.Note, Online = e.Online, Typing = e.Typing, Ids = e.Ids, Connected = e.Connected, Bytes = e.Bytes, Total = e.Total,
    };
}
