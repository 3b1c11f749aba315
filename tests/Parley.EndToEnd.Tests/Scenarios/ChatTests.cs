using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>The interactive chat: live incoming messages, sending from the prompt, read receipts, /commands.</summary>
public sealed class ChatTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_shows_live_messages_sends_replies_and_reports_reads(bool daemons)
    {
        await using var world = await World.StartAsync(daemons);
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");

        await using var chat = RunningCli.Start(bob.Cli, "chat", "alice", "--as", "bob");
        await chat.WaitForAsync("Chat with alice");
        await alice.SendAsync(bob, "ping from alice");
        await chat.WaitForAsync("alice: ping from alice");

        await chat.WriteLineAsync("pong from bob");
        await chat.WaitForAsync("sent ");
        await chat.WriteLineAsync("/history 5");
        await chat.WaitForAsync("me → alice: pong from bob");
        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.WaitForExitAsync());

        var atAlice = await alice.ReceiveAsync();
        Assert.Equal(["pong from bob"], User.Texts(atAlice));
        Assert.Contains(atAlice, e => e.GetProperty("type").GetString() == "read" && e.GetProperty("user").GetString() == "bob");
        var history = (await alice.OkAsync("history", "bob", "--json")).JsonLines;
        Assert.Equal("read", history.Single(m => m.GetProperty("text").GetString() == "ping from alice").GetProperty("state").GetString());
    }
}
