using Parley.EndToEnd.Tests.Infrastructure;
using Parley.Wire;

namespace Parley.EndToEnd.Tests.Malicious;

/// <summary>
/// attacks.md rows 6, 7 and 23 through the malicious relay: a server that duplicates every delivery,
/// replays an old offline queue (under the old ids and under fresh ones, to a restarted client) and
/// reflects a client's own message back to it as the peer's. Each message is shown exactly once;
/// the replays and the reflection show nothing.
/// </summary>
public sealed class ReplayScenarios
{

    [Fact]
    public async Task Duplicated_and_replayed_deliveries_are_shown_exactly_once()
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await PairAsync(evil);

        // Every delivery three times.
        evil.Relay.OnServerFrame = f => f.Frame?.KindCase == ServerFrame.KindOneofCase.Deliver ? [f.Bytes, f.Bytes, f.Bytes] : [f.Bytes];
        await alice.SendAsync(bob, "one");
        await alice.SendAsync(bob, "two");
        Assert.Equal(["one", "two"], User.Texts(await bob.ReceiveAsync()));

        // The old queue again, to a new client process: under the ids it had, and relabelled with fresh ids.
        var old = evil.Deliveries("alice").DistinctBy(d => d.MessageId).ToList();
        Assert.Equal(2, old.Count);
        evil.Relay.OnServerFrame = f => f.Frame?.KindCase == ServerFrame.KindOneofCase.QueueEmpty
            ? [.. old.Select(d => EvilWorld.Bytes(new ServerFrame { Deliver = d })),
               .. old.Select(d => EvilWorld.Bytes(new ServerFrame { Deliver = new Deliver(d) { MessageId = EvilWorld.NewMessageId() } })),
               f.Bytes]
            : [f.Bytes];
        var replayed = await bob.ReceiveAsync();
        Assert.Empty(User.Texts(replayed));
        Assert.Equal(["one", "two"], History(await bob.OkAsync("history", "alice", "--json")));

        // The session is not disturbed: the next genuine message arrives.
        evil.Relay.OnServerFrame = null;
        await alice.SendAsync(bob, "three");
        Assert.Equal(["three"], User.Texts(await bob.ReceiveAsync()));
    }

    [Fact]
    public async Task A_message_reflected_back_to_its_sender_is_not_shown()
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await PairAsync(evil);
        await alice.SendAsync(bob, "first");
        Assert.Equal(["first"], User.Texts(await bob.ReceiveAsync()));
        await bob.SendAsync(alice, "reply");
        Assert.Equal(["reply"], User.Texts(await alice.ReceiveAsync()));

        await alice.SendAsync(bob, "for bob only");
        var sends = evil.SendsBy(f => f.Frame?.Send?.Recipient == "bob");
        var sent = sends[^1];

        // Alice's own ciphertext, delivered to Alice as if Bob had sent it.
        evil.Relay.OnServerFrame = f => f.Frame?.KindCase == ServerFrame.KindOneofCase.QueueEmpty
            ? [EvilWorld.Bytes(new ServerFrame { Deliver = new Deliver { MessageId = sent.MessageId, Sender = "bob", Type = sent.Type, Ciphertext = sent.Ciphertext, ServerTimestampMs = 1 } }), f.Bytes]
            : [f.Bytes];
        var events = await alice.ReceiveAsync();
        Assert.Empty(User.Texts(events));
        Assert.Equal(["reply"], History(await alice.OkAsync("history", "bob", "--json")));

        evil.Relay.OnServerFrame = null;
        Assert.Equal(["for bob only"], User.Texts(await bob.ReceiveAsync()));
    }

    internal static async Task<(User Alice, User Bob)> PairAsync(EvilWorld evil)
    {
        var users = await evil.UsersAsync("alice", "bob");
        await User.BefriendAsync(users[0], users[1]);
        return (users[0], users[1]);
    }

    /// <summary>The texts of the incoming messages in a <c>history --json</c> listing, oldest first.</summary>
    internal static IReadOnlyList<string> History(CliResult result) =>
        result.JsonLines.Where(e => e.TryGetProperty("direction", out var d) && d.GetString() == "in").Select(e => e.GetProperty("text").GetString()!).ToList();
}
