using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Parley.Client.Calls;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>
/// The calls API between two daemons, as the web app drives it (the test plays the browser: SDP in,
/// fingerprints out), and the CLI around it: <c>parley call</c>, <c>parley call decline</c>,
/// <c>receive</c> and <c>history</c> showing calls.
/// </summary>
public sealed class CallApiTests
{
    [Fact]
    public async Task A_call_through_the_api_rings_connects_hangs_up_and_lands_in_history_on_both_sides()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var aliceDaemon = await DaemonProcess.StartAsync(w.Alice.Cli);
        await using var alice = await UnixRpc.ConnectAsync(aliceDaemon.SocketPath);
        await using var bob = await w.UnixAsync();
        await alice.OkAsync("subscribe", new { profile = "alice" });
        await bob.OkAsync("subscribe", new { profile = "bob" });
        var (aliceFp, bobFp) = (NewFingerprint(), NewFingerprint());

        var started = await alice.OkAsync("calls.start", new { to = "bob", media = "video", sdp = Sdp(aliceFp) });
        var id = started["call"]!["id"]!.GetValue<string>();
        Assert.Equal("outgoing", started["call"]!["state"]!.GetValue<string>());
        var ringing = await bob.WaitForEventAsync(e => Call(e, id, "state")?["state"]?.GetValue<string>() == "incoming");
        Assert.Equal(("alice", "video", "in"), (ringing["user"]!.GetValue<string>(), ringing["call"]!["media"]!.GetValue<string>(), ringing["call"]!["direction"]!.GetValue<string>()));
        var current = await bob.OkAsync("calls.current");
        Assert.Equal(aliceFp.ToString(), current["call"]!["fingerprint"]!.GetValue<string>());
        Assert.False(current["call"]!["verified"]!.GetValue<bool>());
        Assert.Null(current["call"]!["shortCode"]); // no code before the media's fingerprint was checked
        Assert.Equal(Sdp(aliceFp), current["call"]!["sdp"]!.GetValue<string>());
        await alice.WaitForEventAsync(e => Call(e, id, "state")?["peerRinging"]?.GetValue<bool>() == true);

        await bob.OkAsync("calls.accept", new { call = id, sdp = Sdp(bobFp) });
        var answer = await alice.WaitForEventAsync(e => Call(e, id, "description") is not null);
        Assert.Equal(("answer", bobFp.ToString()), (answer["call"]!["sdpType"]!.GetValue<string>(), answer["call"]!["fingerprint"]!.GetValue<string>()));
        await bob.OkAsync("calls.signal", new { call = id, kind = "candidates", candidates = new[] { new { candidate = "candidate:1 1 udp 1 127.0.0.1 50000 typ relay", sdpMid = "0", sdpMLineIndex = 0 } } });
        var candidates = await alice.WaitForEventAsync(e => Call(e, id, "candidates") is not null);
        Assert.Equal("candidate:1 1 udp 1 127.0.0.1 50000 typ relay", candidates["call"]!["candidates"]![0]!["candidate"]!.GetValue<string>());
        Assert.True((await alice.OkAsync("calls.signal", new { call = id, kind = "connected", fingerprint = bobFp.ToString() }))["ok"]!.GetValue<bool>());
        Assert.True((await bob.OkAsync("calls.signal", new { call = id, kind = "connected", fingerprint = aliceFp.ToString() }))["ok"]!.GetValue<bool>());

        // Both sides show the same short code; the "verified" mark only where the safety number was confirmed.
        await w.Alice.OkAsync("verify", "bob", "--confirm");
        var (aliceView, bobView) = ((await alice.OkAsync("calls.current"))["call"]!, (await bob.OkAsync("calls.current"))["call"]!);
        Assert.Matches("^[0-9]{3} [0-9]{3}$", aliceView["shortCode"]!.GetValue<string>());
        Assert.Equal(aliceView["shortCode"]!.GetValue<string>(), bobView["shortCode"]!.GetValue<string>());
        Assert.Equal((true, false), (aliceView["verified"]!.GetValue<bool>(), bobView["verified"]!.GetValue<bool>()));

        await bob.OkAsync("calls.hangup", new { call = id });
        var ended = await alice.WaitForEventAsync(e => Call(e, id, "state")?["state"]?.GetValue<string>() == "ended");
        Assert.Equal("remote-hangup", ended["call"]!["reason"]!.GetValue<string>());
        await alice.WaitForEventAsync(e => Call(e, id, "recorded") is not null);
        await bob.WaitForEventAsync(e => Call(e, id, "recorded") is not null);
        Assert.Empty((await bob.OkAsync("calls.current")).AsObject());

        var bobHistory = (await w.Bob.OkAsync("history", "alice", "--json")).JsonLines;
        var entry = Assert.Single(bobHistory);
        Assert.StartsWith("Incoming video call, 0:0", entry.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(("incoming", id), (entry.GetProperty("call").GetProperty("kind").GetString(), entry.GetProperty("call").GetProperty("id").GetString()));
        Assert.Contains("Outgoing video call, 0:0", (await w.Alice.OkAsync("history", "bob")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parley_call_decline_declines_the_ringing_call_and_receive_reports_it_and_a_bad_fingerprint_ends_with_a_security_error()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var aliceDaemon = await DaemonProcess.StartAsync(w.Alice.Cli);
        await using var alice = await UnixRpc.ConnectAsync(aliceDaemon.SocketPath);
        await alice.OkAsync("subscribe", new { profile = "alice" });
        var (aliceFp, bobFp) = (NewFingerprint(), NewFingerprint());
        Assert.EndsWith("&call=bob&media=video", (await w.Alice.OkAsync("call", "bob", "--video", "--no-open")).Stdout.Trim(), StringComparison.Ordinal);

        var id = (await alice.OkAsync("calls.start", new { to = "bob", media = "audio", sdp = Sdp(aliceFp) }))["call"]!["id"]!.GetValue<string>();
        await alice.WaitForEventAsync(e => Call(e, id, "state")?["peerRinging"]?.GetValue<bool>() == true);
        await w.Bob.OkAsync("call", "decline");
        var declined = await alice.WaitForEventAsync(e => Call(e, id, "state")?["state"]?.GetValue<string>() == "ended");
        Assert.Equal("remote-declined", declined["call"]!["reason"]!.GetValue<string>());
        var received = await w.Bob.OkAsync("receive");
        Assert.Contains("alice is calling you (voice)", received.Stdout, StringComparison.Ordinal);
        Assert.Contains("alice: Incoming voice call (declined).", received.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, (await w.Bob.RunAsync("call", "decline")).ExitCode); // nothing rings any more

        await using var bob = await w.UnixAsync();
        await bob.OkAsync("subscribe", new { profile = "bob" });
        var second = (await alice.OkAsync("calls.start", new { to = "bob", media = "video", sdp = Sdp(aliceFp) }))["call"]!["id"]!.GetValue<string>();
        await bob.WaitForEventAsync(e => Call(e, second, "state")?["state"]?.GetValue<string>() == "incoming");

        await bob.OkAsync("calls.accept", new { call = second, sdp = Sdp(bobFp) });
        var impostor = NewFingerprint();
        Assert.False((await bob.OkAsync("calls.signal", new { call = second, kind = "connected", fingerprint = impostor.ToString() }))["ok"]!.GetValue<bool>());
        var security = await alice.WaitForEventAsync(e => Call(e, second, "state")?["state"]?.GetValue<string>() == "ended");
        Assert.Equal("security-error", security["call"]!["reason"]!.GetValue<string>());
        var refused = await bob.CallAsync("calls.signal", new { call = second, kind = "connected", fingerprint = aliceFp.ToString() });
        Assert.Equal("noSuchCall", refused["error"]!["data"]!["kind"]!.GetValue<string>());
    }

    private static JsonObject? Call(JsonObject e, string id, string update) =>
        e["type"]?.GetValue<string>() == "call" && e["call"]?["id"]?.GetValue<string>() == id && e["call"]?["update"]?.GetValue<string>() == update
            ? e["call"]!.AsObject()
            : null;

    private static DtlsFingerprint NewFingerprint() => new(RandomNumberGenerator.GetBytes(DtlsFingerprint.ByteLength));

    private static string Sdp(DtlsFingerprint fingerprint) =>
        "v=0\r\no=- 46117314 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Wb+u\r\na=ice-pwd:/kGb0Cyi1yIyOJ8uT1JDX7Tu\r\n"
        + "a=fingerprint:" + fingerprint + "\r\na=setup:actpass\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";
}
