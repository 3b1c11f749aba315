using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client;

/// <summary>History (local, marks messages read) and status (server reachability, outbox, presence).</summary>
public sealed partial class ParleyClient
{
    /// <summary>
    /// The last <paramref name="limit"/> messages with <paramref name="peer"/>. Messages shown here for
    /// the first time count as read: a read receipt goes to the peer when the server is reachable.
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="limit">How many messages.</param>
    /// <param name="cancellationToken">Cancels sending receipts.</param>
    /// <returns>The messages, oldest first.</returns>
    public async Task<IReadOnlyList<StoredMessage>> HistoryAsync(string peer, int limit, CancellationToken cancellationToken)
    {
        var name = UserName.Parse(peer).Value;
        var history = _store.History(name, limit);
        var unread = _store.TakeUnshownIncoming(name);
        if (unread.Count == 0)
        {
            return history;
        }

        try
        {
            await using var relay = await ConnectRelayAsync(cancellationToken).ConfigureAwait(false);
            var pump = new RelayPump(relay, _ => Task.CompletedTask);
            await ShowAlreadyTakenAsync(pump, name, unread, cancellationToken).ConfigureAwait(false);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            // History is local; the read receipts are a courtesy that needs the server.
        }

        return _store.History(name, limit);
    }

    /// <summary>Checks the connection and asks which contacts are online.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The status.</returns>
    public async Task<ClientStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var pending = _store.CountOutbox();
        var online = new List<string>();
        try
        {
            await using var relay = await ConnectRelayAsync(cancellationToken).ConfigureAwait(false);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pump = new RelayPump(relay, frame =>
            {
                if (frame.KindCase == ServerFrame.KindOneofCase.Presence && frame.Presence.Online && UserName.TryParse(frame.Presence.Username, out var who))
                {
                    online.Add(who.Value);
                }
                else if (frame.KindCase == ServerFrame.KindOneofCase.PresenceQueryDone)
                {
                    done.TrySetResult();
                }

                return Task.CompletedTask;
            });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var running = pump.RunAsync(stop.Token);
            await relay.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery() }, cancellationToken).ConfigureAwait(false);
            await Task.WhenAny(done.Task, running).WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await IgnoreEndAsync(running).ConfigureAwait(false);
            return new ClientStatus(done.Task.IsCompletedSuccessfully, pending, online.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
        }
        catch (Exception e) when (e is TimeoutException || (e is ParleyClientException p && p.Kind == ClientErrorKind.ServerUnreachable))
        {
            return new ClientStatus(false, pending, []);
        }
    }

    private async Task ShowAlreadyTakenAsync(RelayPump pump, string peer, IReadOnlyList<StoredMessage> shown, CancellationToken cancellationToken)
    {
        var ids = shown.Select(m => m.Id.ToString()).ToList();
        for (var i = 0; i < ids.Count; i += MessageContent.MaxReceiptIds)
        {
            await SendReceiptAsync(pump, peer, "read", ids.Skip(i).Take(MessageContent.MaxReceiptIds).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }
}
