using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;
using static Parley.EndToEnd.Tests.Web.CallPages;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// The call flows of issue 12 that are not a connected video call, through the real daemons, server,
/// coturn on 127.0.0.1 and one Chromium context per person: the caller cancels, a third person gets
/// busy, the caller hangs up, and glare — both placed calls crossing in flight, and a call arriving while
/// the other side's is still being placed. (No answer after 60 s runs on the daemon's real clock, which a
/// browser test cannot fake: <c>CallScenarios.An_unanswered_call_rings_until_the_ring_timeout_and_not_one_tick_longer</c>
/// covers it on a fake clock.)
/// </summary>
public sealed class WebCallFlowTests
{
    [Fact]
    public async Task The_caller_cancels_a_third_caller_gets_busy_and_the_caller_hangs_up()
    {
        await using var coturn = await CoturnProcess.StartAsync();
        await using var world = await World.StartAsync(coturn.ServerArguments);
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        var carol = world.NewUser("carol");
        await Task.WhenAll(alice.RegisterAsync(), bob.RegisterAsync(), carol.RegisterAsync());
        await User.BefriendAsync(alice, bob);
        await User.BefriendAsync(carol, bob);
        await using var aliceDaemon = await DaemonProcess.StartAsync(alice.Cli);
        await using var bobDaemon = await DaemonProcess.StartAsync(bob.Cli);
        await using var carolDaemon = await DaemonProcess.StartAsync(carol.Cli);
        await using var browser = await Browser.LaunchAsync(MediaArgs);
        var a = await OpenAsync(browser, aliceDaemon);
        var b = await OpenAsync(browser, bobDaemon);
        var c = await OpenAsync(browser, carolDaemon);
        await a.Locator($"li[data-user={bob.Name}] .conversation").ClickAsync();
        await c.Locator($"li[data-user={bob.Name}] .conversation").ClickAsync();
        var acceptVoice = b.GetByRole(AriaRole.Button, new() { Name = "Accept voice" });

        // Alice cancels before Bob answers: he sees a missed call.
        await a.GetByRole(AriaRole.Button, new() { Name = $"Voice call {bob.Name}" }).ClickAsync();
        await acceptVoice.WaitForAsync();
        await StateAsync(a, "Ringing");
        await RingSoundsAsync(b);
        await a.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
        await StateAsync(a, "Call cancelled.");
        await StateAsync(b, "Missed call: the caller hung up.");
        await RingStoppedAsync(b);
        await a.Locator(".message .body").Filter(new() { HasText = "Outgoing voice call (cancelled)" }).WaitForAsync();
        await CloseAsync(a);
        await CloseAsync(b);

        // Alice calls again; while Bob's device rings, Carol's call gets busy and does not disturb it.
        await a.GetByRole(AriaRole.Button, new() { Name = $"Voice call {bob.Name}" }).ClickAsync();
        await acceptVoice.WaitForAsync();
        await c.GetByRole(AriaRole.Button, new() { Name = $"Voice call {bob.Name}" }).ClickAsync();
        await StateAsync(c, "Busy in another call.");
        await c.Locator(".message .body").Filter(new() { HasText = "Outgoing voice call (busy)" }).WaitForAsync();
        Assert.Equal(alice.Name, await b.Locator(".call h2").InnerTextAsync());
        Assert.True(await acceptVoice.IsVisibleAsync());

        // Bob answers Alice; she hangs up the connected call.
        await acceptVoice.ClickAsync();
        await StateAsync(a, "Connected");
        await StateAsync(b, "Connected");
        await a.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
        await StateAsync(a, "Call ended.");
        await StateAsync(b, "Call ended.");
        await a.Locator(".message .body").Filter(new() { HasTextRegex = CallPages.Lasted("Outgoing voice call") }).WaitForAsync();
        await CloseAsync(b);
        await b.Locator($"li[data-user={alice.Name}] .conversation").ClickAsync();
        await b.Locator(".message .body").Filter(new() { HasTextRegex = CallPages.Lasted("Incoming voice call") }).WaitForAsync();
        await b.Locator(".message .body").Filter(new() { HasText = "Missed voice call" }).WaitForAsync(); // the cancelled one
        var bobWithCarol = (await bob.OkAsync("history", carol.Name)).Stdout;
        Assert.Contains("Missed voice call (while in another call)", bobWithCarol, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Glare_both_calls_crossing_in_flight_or_one_arriving_while_the_other_is_placed_ends_in_one_call()
    {
        await using var coturn = await CoturnProcess.StartAsync();
        await using var world = await World.StartAsync(coturn.ServerArguments);
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        await Task.WhenAll(alice.RegisterAsync(), bob.RegisterAsync());
        await User.BefriendAsync(alice, bob);
        await alice.SendAsync(bob, "hello"); // sessions both ways: placing a call then needs no server round trip
        Assert.Contains("hello", User.Texts(await bob.ReceiveAsync(30)));
        await using var aliceDaemon = await DaemonProcess.StartAsync(alice.Cli);
        await using var bobDaemon = await DaemonProcess.StartAsync(bob.Cli);
        await using var aliceEvents = await UnixRpc.ConnectAsync(aliceDaemon.SocketPath);
        await using var bobEvents = await UnixRpc.ConnectAsync(bobDaemon.SocketPath);
        await aliceEvents.OkAsync("subscribe", new { profile = alice.Name });
        await bobEvents.OkAsync("subscribe", new { profile = bob.Name });
        await using var browser = await Browser.LaunchAsync(MediaArgs);
        var a = await OpenAsync(browser, aliceDaemon, holdCallStart: true);
        var b = await OpenAsync(browser, bobDaemon, holdCallStart: true);
        await ExplainingAsync(browser, [("alice", a), ("bob", b)], async () =>
        {
            await a.Locator($"li[data-user={bob.Name}] .conversation").ClickAsync();
            await b.Locator($"li[data-user={alice.Name}] .conversation").ClickAsync();

            // 1. Both place a call; with the server frozen, both daemons hold an outgoing call before
            // either offer moves. Thawed, the offers cross: the smaller call id wins on both sides and
            // the other side answers it at once. Each page gets its calls.start answer only after the
            // loser's page has been told of the winner's call (answers and events travel apart, so a
            // loaded daemon can deliver them in that order): the pages must still end in one call,
            // and each history shows that one call.
            await a.EvaluateAsync("() => window.parleyTestHoldReplies()");
            await b.EvaluateAsync("() => window.parleyTestHoldReplies()");
            await a.GetByRole(AriaRole.Button, new() { Name = $"Voice call {bob.Name}" }).ClickAsync();
            await b.GetByRole(AriaRole.Button, new() { Name = $"Voice call {alice.Name}" }).ClickAsync();
            await WaitForHeldCallAsync(a);
            await WaitForHeldCallAsync(b);
            string aliceCall, bobCall;
            await world.Server.FreezeAsync(true);
            try
            {
                await ReleaseAsync(a);
                await ReleaseAsync(b);
                aliceCall = CallId(await aliceEvents.WaitForEventAsync(e => State(e) == "outgoing", Browser.Wait));
                bobCall = CallId(await bobEvents.WaitForEventAsync(e => State(e) == "outgoing", Browser.Wait));
            }
            finally
            {
                await world.Server.FreezeAsync(false);
            }

            var (loser, loserEvents, winnerCall) = string.CompareOrdinal(aliceCall, bobCall) < 0 ? (b, bobEvents, aliceCall) : (a, aliceEvents, bobCall);
            await loserEvents.WaitForEventAsync(e => State(e) == "incoming" && CallId(e) == winnerCall, Browser.Wait);
            await StateAsync(loser, "Connecting"); // it took the winner's call and is answering it
            await WaitForAsync(a, "window.parleyTestHeldReplies() === 1");
            await WaitForAsync(b, "window.parleyTestHeldReplies() === 1");
            await a.EvaluateAsync("() => window.parleyTestReleaseReplies()");
            await b.EvaluateAsync("() => window.parleyTestReleaseReplies()");

            await StateAsync(a, "Connected");
            await StateAsync(b, "Connected");
            await b.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
            await StateAsync(a, "Call ended.");
            await StateAsync(b, "Call ended.");
            await a.Locator(".message .body").Filter(new() { HasTextRegex = CallPages.Lasted("voice call") }).WaitForAsync();
            await b.Locator(".message .body").Filter(new() { HasTextRegex = CallPages.Lasted("voice call") }).WaitForAsync();
            Assert.Equal(1, await a.Locator(".message .body").Filter(new() { HasText = "voice call" }).CountAsync());
            Assert.Equal(1, await b.Locator(".message .body").Filter(new() { HasText = "voice call" }).CountAsync());
            Assert.Null((await aliceEvents.OkAsync("calls.current", new { profile = alice.Name }))["call"]); // nothing left ringing
            Assert.Null((await bobEvents.OkAsync("calls.current", new { profile = bob.Name }))["call"]);
            await CloseAsync(a);
            await CloseAsync(b);

            // 2. Bob places a call whose request to his daemon is held while Alice's call arrives and
            // rings there: his daemon then refuses his call as busy, and his page answers hers instead.
            await b.EvaluateAsync("() => window.parleyTestHold()");
            await b.GetByRole(AriaRole.Button, new() { Name = $"Voice call {alice.Name}" }).ClickAsync();
            await WaitForHeldCallAsync(b);
            await a.GetByRole(AriaRole.Button, new() { Name = $"Voice call {bob.Name}" }).ClickAsync();
            await StateAsync(b, $"{alice.Name} is calling you");
            await ReleaseAsync(b);
            await StateAsync(a, "Connected");
            await StateAsync(b, "Connected");
            await a.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
            await StateAsync(b, "Call ended.");
            var aCalls = a.Locator(".message .body").Filter(new() { HasText = "voice call" });
            var bCalls = b.Locator(".message .body").Filter(new() { HasText = "voice call" });
            await aCalls.Nth(1).WaitForAsync();
            await bCalls.Nth(1).WaitForAsync();
            Assert.Equal((2, 2), (await aCalls.CountAsync(), await bCalls.CountAsync())); // Bob's own call never started
            Assert.Matches(CallPages.Lasted("Outgoing voice call"), await aCalls.Last.InnerTextAsync());
            Assert.Matches(CallPages.Lasted("Incoming voice call"), await bCalls.Last.InnerTextAsync());
            Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
        });
    }

    private static string CallId(JsonObject e) => e["call"]?["id"]?.GetValue<string>() ?? "";

    private static string? State(JsonObject e) =>
        e["type"]?.GetValue<string>() == "call" && e["call"]?["update"]?.GetValue<string>() == "state" ? e["call"]?["state"]?.GetValue<string>() : null;
}
