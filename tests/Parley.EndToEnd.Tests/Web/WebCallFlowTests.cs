using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;
using static Parley.EndToEnd.Tests.Web.CallPages;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// The call flows of issue 12 that are not a connected video call, through the real daemons, server,
/// coturn on 127.0.0.1 and one Chromium context per person: the caller cancels, a third person gets
/// busy, the caller hangs up, no answer within the ring timeout (the caller's daemon on a clock the
/// test moves forward), and glare — both placed calls crossing in flight, and a call arriving while the
/// other side's is still being placed.
/// </summary>
public sealed class WebCallFlowTests
{
    [Fact]
    public async Task The_caller_cancels_a_third_caller_gets_busy_and_the_caller_hangs_up()
    {
        await using var stage = await CallStage.StartAsync("alice", "bob", "carol");
        var (alice, bob, carol) = (stage["alice"], stage["bob"], stage["carol"]);
        await User.BefriendAsync(alice, bob);
        await User.BefriendAsync(carol, bob);
        await stage.OpenAsync();
        var (a, b, c) = (stage.Page("alice"), stage.Page("bob"), stage.Page("carol"));
        await stage.ExplainingAsync(async () =>
        {
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
            Assert.DoesNotContain(stage.Browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
        });
    }

    /// <summary>
    /// The ring timeout passes on the caller's daemon (hosted here on a <see cref="JumpingClock"/>, moved a
    /// whole timeout forward while Bob's phone rings): Alice's call ends as unanswered and Bob's, told so
    /// through the encrypted channel, as a missed call — on both screens and in both histories. That the
    /// timeout is neither a tick early nor late is <c>CallScenarios</c>' test on a fake clock.
    /// </summary>
    [Fact]
    public async Task An_unanswered_call_ends_after_the_ring_timeout_as_no_answer_for_the_caller_and_missed_for_the_callee()
    {
        await using var stage = await CallStage.StartAsync("alice", "bob");
        var (alice, bob) = (stage["alice"], stage["bob"]);
        await User.BefriendAsync(alice, bob);
        var aliceClock = new JumpingClock();
        await stage.OpenAsync(clocks: new Dictionary<string, TimeProvider> { ["alice"] = aliceClock });
        var (a, b) = (stage.Page("alice"), stage.Page("bob"));
        await stage.ExplainingAsync(async () =>
        {
            await a.Locator($"li[data-user={bob.Name}] .conversation").ClickAsync();
            var placed = System.Diagnostics.Stopwatch.StartNew();
            await a.GetByRole(AriaRole.Button, new() { Name = $"Voice call {bob.Name}" }).ClickAsync();
            await b.GetByRole(AriaRole.Button, new() { Name = "Accept voice" }).WaitForAsync();
            await StateAsync(a, "Ringing");
            await RingSoundsAsync(b);

            aliceClock.Advance(Parley.Client.Calls.CallLimits.RingTimeout);
            await StateAsync(a, "No answer.");
            await StateAsync(b, "Missed call.");
            Assert.True(placed.Elapsed < Parley.Client.Calls.CallLimits.RingTimeout, $"ended after {placed.Elapsed}: the daemon's timer did not follow its clock");
            await RingStoppedAsync(b);
            Assert.Equal(0, await b.GetByRole(AriaRole.Button, new() { Name = "Accept voice" }).CountAsync());
            await a.Locator(".message .body").Filter(new() { HasText = "Outgoing voice call (no answer)" }).WaitForAsync();
            await CloseAsync(b);
            await b.Locator($"li[data-user={alice.Name}] .conversation").ClickAsync();
            await b.Locator(".message .body").Filter(new() { HasText = "Missed voice call" }).WaitForAsync();
            Assert.Contains("Missed voice call", (await bob.OkAsync("history", alice.Name)).Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(stage.Browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Glare_both_calls_crossing_in_flight_or_one_arriving_while_the_other_is_placed_ends_in_one_call()
    {
        await using var stage = await CallStage.StartAsync("alice", "bob");
        var (alice, bob, world) = (stage["alice"], stage["bob"], stage.World);
        await User.BefriendAsync(alice, bob);
        await alice.SendAsync(bob, "hello"); // sessions both ways: placing a call then needs no server round trip
        Assert.Contains("hello", User.Texts(await bob.ReceiveAsync(30)));
        await stage.OpenAsync(holdCallStart: true);
        var (a, b) = (stage.Page("alice"), stage.Page("bob"));
        await using var aliceEvents = await UnixRpc.ConnectAsync(stage.Daemon("alice").SocketPath);
        await using var bobEvents = await UnixRpc.ConnectAsync(stage.Daemon("bob").SocketPath);
        await aliceEvents.OkAsync("subscribe", new { profile = alice.Name });
        await bobEvents.OkAsync("subscribe", new { profile = bob.Name });
        await stage.ExplainingAsync(async () =>
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
            Assert.DoesNotContain(stage.Browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
        });
    }

    private static string CallId(JsonObject e) => e["call"]?["id"]?.GetValue<string>() ?? "";

    private static string? State(JsonObject e) =>
        e["type"]?.GetValue<string>() == "call" && e["call"]?["update"]?.GetValue<string>() == "state" ? e["call"]?["state"]?.GetValue<string>() : null;
}
