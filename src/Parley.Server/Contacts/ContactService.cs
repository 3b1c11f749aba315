using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Hosting;
using Parley.Server.Throttling;
using Parley.Server.Presence;
using Parley.Server.Relay;
using Parley.Wire;

namespace Parley.Server.Contacts;

/// <summary>
/// The contact relation's rules. Every change updates both parties' rows in one transaction, then
/// tells the other party through the durable queue (so offline users learn it on connect). Blocks are
/// never revealed: a blocked user's requests and messages look as if they simply went unanswered.
/// An unknown username is answered exactly as an existing user outside the relation (same queries,
/// same answers): it stands in as a "ghost" with a negative id derived from the name, which can only
/// ever hold the caller's own block row. Only a contact request — which its target sees — tells an
/// unknown name apart (404), and requests are rate-limited per requester.
/// </summary>
public sealed class ContactService
{
    private const int StripeCount = 64;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly IContactStore _store;
    private readonly IAccountLookup _accounts;
    private readonly ContactGraph _graph;
    private readonly MessageSender _sender;
    private readonly PresenceService _presence;
    private readonly TimeProvider _time;
    private readonly IThrottleStore _throttle;
    private readonly ContactOptions _options;

    /// <summary>Creates the service.</summary>
    public ContactService(IContactStore store, IAccountLookup accounts, ContactGraph graph, MessageSender sender, PresenceService presence,
        IThrottleStore throttle, IOptions<ContactOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _throttle = throttle;
        _options = options.Value;
        _store = store;
        _accounts = accounts;
        _graph = graph;
        _sender = sender;
        _presence = presence;
        _time = time;
    }

    /// <summary>Lists the caller's rows.</summary>
    public Task<IReadOnlyList<ContactEntry>> ListAsync(long ownerId, CancellationToken cancellationToken) => _store.ListAsync(ownerId, cancellationToken);

    /// <summary>
    /// Asks <paramref name="peerName"/> to become a contact (accepts at once if they already asked).
    /// Counted against the caller's request budget first, whether the name exists or not.
    /// </summary>
    public async Task RequestAsync(ContactRef me, string peerName, string? note, CancellationToken cancellationToken)
    {
        var budget = new ThrottleCharge("contacts:request:" + me.Id, _options.RequestsPerRequesterPerHour, TimeSpan.FromHours(1));
        var result = await _throttle.TryReserveAsync([budget], cancellationToken);
        if (!result.Allowed)
        {
            throw ProblemException.TooManyRequests(result.RetryAfter);
        }

        await WithPairAsync(me, peerName, async (peer, mine, theirs) =>
        {
            if (IsGhost(peer))
            {
                throw ProblemException.NotFound("No such user");
            }

            if (mine?.State == ContactState.Blocked)
            {
                throw ProblemException.Conflict("contact-blocked", "Unblock this user first");
            }

            if (mine?.State == ContactState.Accepted && theirs?.State == ContactState.Accepted)
            {
                throw ProblemException.Conflict("already-contacts", "Already contacts");
            }

            if (mine?.State == ContactState.Incoming && theirs?.State == ContactState.Outgoing)
            {
                await AcceptLockedAsync(me, peer);
                return;
            }

            var now = Now();
            if (theirs?.State == ContactState.Blocked)
            {
                await _store.ApplyAsync([new(me.Id, peer.Id, peer.Name, ContactState.Outgoing, note, now)], CancellationToken.None);
                return;
            }

            await _store.ApplyAsync(
                [new(me.Id, peer.Id, peer.Name, ContactState.Outgoing, note, now), new(peer.Id, me.Id, me.Name, ContactState.Incoming, note, now)],
                CancellationToken.None);
            await NotifyAsync(me, peer, ContactEventKind.Request, note);
        }, cancellationToken);
    }

    /// <summary>Accepts a pending request from <paramref name="peerName"/>.</summary>
    public Task AcceptAsync(ContactRef me, string peerName, CancellationToken cancellationToken) =>
        WithPairAsync(me, peerName, async (peer, mine, theirs) =>
        {
            if (mine?.State != ContactState.Incoming || theirs?.State != ContactState.Outgoing)
            {
                throw NoPending();
            }

            await AcceptLockedAsync(me, peer);
        }, cancellationToken);

    /// <summary>Declines a pending request from <paramref name="peerName"/>.</summary>
    public Task DeclineAsync(ContactRef me, string peerName, CancellationToken cancellationToken) =>
        WithPairAsync(me, peerName, async (peer, mine, theirs) =>
        {
            if (mine?.State != ContactState.Incoming)
            {
                throw NoPending();
            }

            await _store.ApplyAsync([Delete(me, peer), Delete(peer, me)], CancellationToken.None);
            await NotifyAsync(me, peer, ContactEventKind.Declined, null);
        }, cancellationToken);

    /// <summary>Withdraws the caller's pending request to <paramref name="peerName"/>.</summary>
    public Task CancelAsync(ContactRef me, string peerName, CancellationToken cancellationToken) =>
        WithPairAsync(me, peerName, async (peer, mine, theirs) =>
        {
            if (mine?.State != ContactState.Outgoing)
            {
                throw NoPending();
            }

            var notify = theirs?.State == ContactState.Incoming;
            await _store.ApplyAsync(notify ? [Delete(me, peer), Delete(peer, me)] : [Delete(me, peer)], CancellationToken.None);
            if (notify)
            {
                await NotifyAsync(me, peer, ContactEventKind.Cancelled, null);
            }
        }, cancellationToken);

    /// <summary>Ends the contact relation with <paramref name="peerName"/>.</summary>
    public Task RemoveAsync(ContactRef me, string peerName, CancellationToken cancellationToken) =>
        WithPairAsync(me, peerName, async (peer, mine, theirs) =>
        {
            if (mine?.State != ContactState.Accepted)
            {
                throw ProblemException.NotFound("Not a contact");
            }

            var notify = theirs?.State == ContactState.Accepted;
            await _store.ApplyAsync(notify ? [Delete(me, peer), Delete(peer, me)] : [Delete(me, peer)], CancellationToken.None);
            Invalidate(me, peer);
            if (notify)
            {
                await NotifyAsync(me, peer, ContactEventKind.Removed, null);
            }
        }, cancellationToken);

    /// <summary>Blocks <paramref name="peerName"/>: nothing from them reaches the caller; they are not told.</summary>
    public Task BlockAsync(ContactRef me, string peerName, CancellationToken cancellationToken) =>
        WithPairAsync(me, peerName, async (peer, _, _) =>
        {
            await _store.ApplyAsync([new(me.Id, peer.Id, peer.Name, ContactState.Blocked, null, Now())], CancellationToken.None);
            Invalidate(me, peer);
        }, cancellationToken);

    /// <summary>Lifts a block; the two are not contacts afterwards (a new request is needed).</summary>
    public Task UnblockAsync(ContactRef me, string peerName, CancellationToken cancellationToken) =>
        WithPairAsync(me, peerName, async (peer, mine, _) =>
        {
            if (mine?.State != ContactState.Blocked)
            {
                throw ProblemException.NotFound("Not blocked");
            }

            await _store.ApplyAsync([Delete(me, peer)], CancellationToken.None);
        }, cancellationToken);

    /// <summary>Removes every trace of a deleted account from the relation (both directions).</summary>
    public async Task DeleteAccountAsync(long accountId, CancellationToken cancellationToken)
    {
        var rows = await _store.ListAsync(accountId, cancellationToken);
        await _store.DeleteAccountAsync(accountId, cancellationToken);
        _graph.Invalidate(accountId);
        foreach (var row in rows)
        {
            _graph.Invalidate(row.PeerId);
        }
    }

    private async Task AcceptLockedAsync(ContactRef me, ContactRef peer)
    {
        var now = Now();
        await _store.ApplyAsync(
            [new(me.Id, peer.Id, peer.Name, ContactState.Accepted, null, now), new(peer.Id, me.Id, me.Name, ContactState.Accepted, null, now)],
            CancellationToken.None);
        Invalidate(me, peer);
        await NotifyAsync(me, peer, ContactEventKind.Accepted, null);
        await _presence.IntroduceContactsAsync(me, peer, CancellationToken.None);
    }

    private async Task WithPairAsync(ContactRef me, string peerName, Func<ContactRef, ContactEntry?, ContactEntry?, Task> action,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peerName);
        if (!Usernames.TryNormalize(peerName, out var name))
        {
            throw ProblemException.BadRequest("Username must be 3-32 characters of a-z, 0-9, '_', '.', '-'");
        }

        var ghost = Ghost(name); // hashed for known names too: the same work either way
        var peer = await _accounts.FindAsync(name, cancellationToken) ?? ghost;

        if (peer.Id == me.Id)
        {
            throw ProblemException.BadRequest("Cannot be one's own contact");
        }

        // Both parties' rows change together; one lock per unordered pair keeps concurrent answers apart.
        var stripe = _stripes[(int)((ulong)(Math.Min(me.Id, peer.Id) * 31 + Math.Max(me.Id, peer.Id)) % StripeCount)];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            var mine = await _store.GetAsync(me.Id, peer.Id, cancellationToken);
            var theirs = await _store.GetAsync(peer.Id, me.Id, cancellationToken);
            await action(peer, mine, theirs);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task NotifyAsync(ContactRef from, ContactRef to, ContactEventKind kind, string? note)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(note ?? string.Empty);
        var message = new QueuedMessage(to.Id, from.Id, from.Name, MessageId.NewRandom(), QueuedKind.ContactEvent, (int)kind, body, Now());
        await _sender.SubmitServerMessageAsync(message);
    }

    private void Invalidate(ContactRef first, ContactRef second)
    {
        _graph.Invalidate(first.Id);
        _graph.Invalidate(second.Id);
    }

    /// <summary>An unknown username's stand-in: a negative id (accounts have positive ones) fixed by the name.</summary>
    private static ContactRef Ghost(string name)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return new ContactRef(-1 - (long)(BinaryPrimitives.ReadUInt64BigEndian(hash) >> 2), name);
    }

    private static bool IsGhost(ContactRef peer) => peer.Id < 0;

    private static ContactChange Delete(ContactRef owner, ContactRef peer) => new(owner.Id, peer.Id, peer.Name, null, null, 0);

    private static ProblemException NoPending() => ProblemException.Conflict("no-pending-request", "No pending request");

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
