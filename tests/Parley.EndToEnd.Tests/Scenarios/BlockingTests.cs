using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>Blocking stops messages both ways; unblocking and a new request restore them.</summary>
public sealed class BlockingTests
{
    [Fact]
    public async Task A_blocked_user_cannot_reach_the_blocker_and_the_blocker_is_told_why_sending_fails()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        await alice.SendAsync(bob, "before the block");
        Assert.Equal(["before the block"], User.Texts(await bob.ReceiveAsync()));

        await bob.OkAsync("block", "alice");
        var refused = await alice.RunAsync("send", "bob", "after the block");
        Assert.Equal(5, refused.ExitCode); // the server does not reveal the block: "not a contact"
        var own = await bob.RunAsync("send", "alice", "can I still write?");
        Assert.Equal(6, own.ExitCode);
        Assert.Contains("blocked", own.Stderr, StringComparison.Ordinal);
        Assert.Empty(User.Texts(await bob.ReceiveAsync()));

        var list = (await bob.OkAsync("contacts", "list", "--json")).JsonLines;
        Assert.True(Assert.Single(list, c => c.GetProperty("user").GetString() == "alice").GetProperty("blocked").GetBoolean());

        await bob.OkAsync("unblock", "alice");
        await User.BefriendAsync(bob, alice);
        await alice.SendAsync(bob, "friends again");
        Assert.Equal(["friends again"], User.Texts(await bob.ReceiveAsync()));
    }
}
