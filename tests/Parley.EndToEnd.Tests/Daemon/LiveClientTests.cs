using System.Diagnostics;
using System.Text.Json.Nodes;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>What the daemon changes for people: messages arrive by themselves, commands share its connection, nothing is lost.</summary>
public sealed class LiveClientTests
{
    private const int Burst = 120;

    /// <summary>How long a pushed message may take to be stored and announced (no receive involved).</summary>
    private static readonly TimeSpan LiveDeliveryBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task With_a_daemon_alices_message_is_in_bobs_history_within_a_second_without_receive()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var watch = await w.UnixAsync();
        await watch.OkAsync("subscribe", new { profile = "bob" });

        // A subscriber starts from the link's state (a connection event), not from a status answer.
        var state = await watch.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "connection");
        Assert.Equal("bob", state["profile"]?.GetValue<string>());
        if (!state["connected"]!.GetValue<bool>())
        {
            await watch.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "connection" && e["connected"]!.GetValue<bool>());
        }

        await w.Alice.SendAsync(w.Bob, "no receive needed");
        var sentAt = Stopwatch.StartNew();

        // The target is a second from the server's acceptance to Bob's store (met on a quiet machine);
        // the bound here is looser because this machine is shared and often loaded far past its cores.
        await watch.WaitForEventAsync(e => e["text"]?.GetValue<string>() == "no receive needed", LiveDeliveryBound);
        Assert.True(sentAt.Elapsed < LiveDeliveryBound);
        var history = (await w.Bob.OkAsync("history", "alice", "--json")).JsonLines;
        Assert.Contains(history, m => m.GetProperty("text").GetString() == "no receive needed");
    }

    [Fact]
    public async Task Parley_send_while_chat_is_open_disconnects_nothing_and_the_chat_stays_live()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var chat = RunningCli.Start(w.Bob.Cli, "chat", "alice", "--as", "bob");
        await chat.WaitForAsync("Chat with alice");
        await w.Alice.SendAsync(w.Bob, "before the send");
        await chat.WaitForAsync("alice: before the send");

        await w.Bob.SendAsync(w.Alice, "sent from another terminal");
        await w.Alice.SendAsync(w.Bob, "after the send");
        await chat.WaitForAsync("alice: after the send");
        await chat.WriteLineAsync("typed in the chat");
        await chat.WaitForAsync("sent ");

        Assert.DoesNotContain("Connection lost", chat.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Connected again", chat.Output, StringComparison.Ordinal); // the state on subscribing is not a change
        Assert.DoesNotContain("Relay link lost", w.Daemon!.Output, StringComparison.Ordinal);
        Assert.Equal(["sent from another terminal", "typed in the chat"], User.Texts(await w.Alice.ReceiveAsync()));
    }

    [Fact]
    public async Task Presence_and_typing_reach_the_other_side_live()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var bob = await w.UnixAsync();
        await bob.OkAsync("subscribe", new { profile = "bob" });
        await using var aliceDaemon = await DaemonProcess.StartAsync(w.Alice.Cli);
        await bob.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "presence" && e["user"]?.GetValue<string>() == "alice" && e["online"]!.GetValue<bool>());
        Assert.Equal(["alice"], (await bob.OkAsync("online"))["online"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("alice", Assert.Single((await w.Bob.OkAsync("online", "--json")).JsonLines).GetProperty("online")[0].GetString());

        await using var alice = await UnixRpc.ConnectAsync(aliceDaemon.SocketPath);
        await alice.OkAsync("send", new { to = "bob", text = "a session first" });
        await bob.WaitForEventAsync(e => e["text"]?.GetValue<string>() == "a session first");
        await alice.OkAsync("typing", new { to = "bob", typing = true });
        await bob.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "typing" && e["typing"]!.GetValue<bool>());

        await aliceDaemon.StopAsync();
        await bob.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "presence" && e["user"]?.GetValue<string>() == "alice" && !e["online"]!.GetValue<bool>());
        Assert.Empty((await bob.OkAsync("online"))["online"]!.AsArray());
    }

    [Fact]
    public async Task Kill_9_of_the_daemon_mid_burst_loses_and_duplicates_nothing()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var aliceDaemon = await DaemonProcess.StartAsync(w.Alice.Cli);
        await using var alice = await UnixRpc.ConnectAsync(aliceDaemon.SocketPath);
        await using (var bob = await w.UnixAsync())
        {
            await bob.OkAsync("subscribe", new { profile = "bob" });
            var sending = SendBurstAsync(alice, "burst");
            await bob.WaitForEventAsync(e => e["text"]?.GetValue<string>() == "burst 20");
            await w.Daemon!.KillAsync();
            await sending;
        }

        await w.RestartDaemonAsync();
        await AssertAllOnceAsync(w, "burst");
    }

    [Fact]
    public async Task A_server_restart_under_a_running_daemon_loses_and_duplicates_nothing()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var aliceDaemon = await DaemonProcess.StartAsync(w.Alice.Cli);
        await using var alice = await UnixRpc.ConnectAsync(aliceDaemon.SocketPath);
        await alice.OkAsync("subscribe", new { profile = "alice" });
        await using var bob = await w.UnixAsync();
        await bob.OkAsync("subscribe", new { profile = "bob" });
        await alice.OkAsync("send", new { to = "bob", text = "outage 0" });
        await bob.WaitForEventAsync(e => e["text"]?.GetValue<string>() == "outage 0");

        await w.World.Server.StopAsync();
        await bob.WaitForEventAsync(ConnectionStates(true, false));
        await alice.WaitForEventAsync(ConnectionStates(true, false)); // alice's link noticed too
        var queued = await alice.CallAsync("send", new { to = "bob", text = "outage 1" });
        Assert.Equal("serverUnreachableMessageQueued", queued["error"]!["data"]!["kind"]!.GetValue<string>());
        await w.World.Server.StartAsync();
        // The events seen so far count too (among them the state sent on subscribing, which may be a
        // "disconnected" from before the first connection): wait for connected → disconnected → connected.
        await bob.WaitForEventAsync(ConnectionStates(true, false, true), TimeSpan.FromSeconds(60));
        await alice.WaitForEventAsync(ConnectionStates(true, false, true), TimeSpan.FromSeconds(60));
        for (var i = 2; i < Burst; i++)
        {
            await alice.OkAsync("send", new { to = "bob", text = "outage " + i });
        }

        await AssertAllOnceAsync(w, "outage");
    }

    /// <summary>A match for the connection event that completes <paramref name="states"/> in order (events in between are skipped).</summary>
    private static Func<JsonObject, bool> ConnectionStates(params bool[] states)
    {
        var next = 0;
        return e =>
        {
            if (next == states.Length || e["type"]?.GetValue<string>() != "connection")
            {
                return false;
            }

            if (e["connected"]!.GetValue<bool>() == states[next])
            {
                next++;
            }

            return next == states.Length;
        };
    }

    private static async Task SendBurstAsync(RpcConnection alice, string prefix)
    {
        for (var i = 0; i < Burst; i++)
        {
            await alice.OkAsync("send", new { to = "bob", text = prefix + " " + i });
        }
    }

    /// <summary>Waits (bounded) until Bob's store holds every message of the burst, then checks each is there exactly once.</summary>
    private static async Task AssertAllOnceAsync(DaemonWorld w, string prefix)
    {
        await using var bob = await w.UnixAsync();
        await bob.OkAsync("subscribe", new { profile = "bob" });
        var expected = Enumerable.Range(0, Burst).Select(i => prefix + " " + i).ToList();
        List<string> texts;
        for (var round = 0; ; round++)
        {
            var messages = (await bob.OkAsync("history", new { user = "alice", limit = 10_000 }))["messages"]!.AsArray();
            texts = messages.Select(m => m!["text"]!.GetValue<string>()).Where(t => t.StartsWith(prefix + " ", StringComparison.Ordinal)).ToList();
            var missing = expected.Except(texts).ToHashSet();
            if (missing.Count == 0 || round > Burst)
            {
                break;
            }

            // Anything stored after the subscription arrives as an event: wait for one of the missing.
            await bob.WaitForEventAsync(e => e["text"]?.GetValue<string>() is { } t && missing.Contains(t), TimeSpan.FromSeconds(60));
        }

        Assert.Equal(expected.Order(), texts.Order());
    }
}
