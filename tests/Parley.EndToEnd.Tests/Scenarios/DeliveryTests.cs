using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>Offline delivery, the outbox across a server outage, and a restart in between.</summary>
public sealed class DeliveryTests
{
    [Fact]
    public async Task Messages_to_an_offline_user_and_from_an_outage_arrive_after_a_restart_once_each()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");

        // Bob is offline: the server queues.
        await alice.SendAsync(bob, "first, while you were away");
        await alice.SendAsync(bob, "second, still away");

        // The server goes down: sending fails clearly, and the message waits in Alice's outbox.
        await world.Server.StopAsync();
        var down = await alice.RunAsync("send", "bob", "third, during the outage");
        Assert.Equal(3, down.ExitCode);
        Assert.Contains("cannot be reached", down.Stderr, StringComparison.Ordinal);
        Assert.Contains("saved and will be sent", down.Stderr, StringComparison.Ordinal);
        var status = Assert.Single((await alice.OkAsync("status", "--json")).JsonLines);
        Assert.False(status.GetProperty("connected").GetBoolean());
        Assert.Equal(1, status.GetProperty("pendingOutgoing").GetInt32());

        // The same server comes back (same data, same certificate): the queue survived, the outbox is resent.
        await world.Server.StartAsync();
        await alice.ReceiveAsync();
        status = Assert.Single((await alice.OkAsync("status", "--json")).JsonLines);
        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.Equal(0, status.GetProperty("pendingOutgoing").GetInt32());

        var texts = User.Texts(await bob.ReceiveAsync());
        Assert.Equal(["first, while you were away", "second, still away", "third, during the outage"], texts);
        Assert.Empty(User.Texts(await bob.ReceiveAsync()));
    }

    [Fact]
    public async Task Receive_with_wait_gets_a_message_sent_while_it_runs()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        await alice.SendAsync(bob, "warming up the session");
        await bob.ReceiveAsync();

        // Whether Bob's receive connects before or after the send, it must return the message within its wait.
        var waiting = bob.ReceiveAsync(waitSeconds: 10);
        await alice.SendAsync(bob, "pushed while you listen");
        Assert.Equal(["pushed while you listen"], User.Texts(await waiting.WaitAsync(TestTimeouts.Command)));
    }

    [Fact]
    public async Task A_server_with_another_certificate_is_refused()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        await alice.RegisterAsync();
        await world.Server.StopAsync();
        await world.Server.StartAsync(Path.Combine(world.Root, "impostor-data"));

        var result = await alice.RunAsync("receive");
        Assert.Equal(10, result.ExitCode);
        Assert.Contains("certificate does not match", result.Stderr, StringComparison.Ordinal);
    }
}
