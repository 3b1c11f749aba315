using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// Calls in the web app, for real: a private coturn on 127.0.0.1, the server handing out its
/// credentials, one daemon per person, Debian's Chromium with a fake camera and microphone and one
/// context each. Media must flow both ways through the relay only (every candidate pair on
/// 127.0.0.1, relay to relay), and the DTLS certificate the media uses must be the one signalled.
/// </summary>
public sealed class WebCallTests
{
    /// <summary>How long media may take to show frames and audio after connecting (bounded polling of getStats).</summary>
    private static readonly TimeSpan MediaWait = TimeSpan.FromSeconds(60);

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    [Fact]
    public async Task A_video_call_between_two_browsers_flows_both_ways_through_the_loopback_relay_then_a_declined_call()
    {
        await using var stage = await CallStage.StartAsync("alice", "bob");
        var (alice, bob) = (stage["alice"], stage["bob"]);
        await User.BefriendAsync(alice, bob);
        await stage.OpenAsync();
        var (a, b) = (stage.Page("alice"), stage.Page("bob"));
        var (browser, coturn) = (stage.Browser, stage.Coturn);

        var axe = new List<string>();
        await a.Locator($"li[data-user={bob.Name}] .conversation").ClickAsync();

        // Alice verifies Bob's safety number (Bob does not verify Alice's): only her call view shows the mark.
        await a.GetByRole(AriaRole.Button, new() { Name = "Safety number" }).ClickAsync();
        await a.Locator("dialog.safety .safety-number").WaitForAsync();
        await CallPages.AxeAsync(a, "safety-number dialog", axe);
        await a.GetByRole(AriaRole.Button, new() { Name = "Mark as verified" }).ClickAsync();
        await a.Locator("dialog.safety [role=status]").Filter(new() { HasText = $"You verified {bob.Name}." }).WaitForAsync();
        await a.Locator("dialog.safety").GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await a.Locator("dialog.safety").WaitForAsync(new() { State = WaitForSelectorState.Detached });

        await a.GetByRole(AriaRole.Button, new() { Name = $"Video call {bob.Name}" }).ClickAsync();
        var acceptVideo = b.GetByRole(AriaRole.Button, new() { Name = "Accept video" });
        await acceptVideo.WaitForAsync();
        await CallPages.AxeAsync(b, "incoming-call dialog", axe);
        await a.Locator(".call-state").Filter(new() { HasText = "Ringing" }).WaitForAsync();
        await CallPages.RingSoundsAsync(b); // the WebAudio ring really reaches the output
        var load = LoadAverage();
        await acceptVideo.ClickAsync();
        await CallPages.RingStoppedAsync(b);
        try
        {
            await a.Locator(".call-state").Filter(new() { HasText = "Connected" }).WaitForAsync(new() { Timeout = 30_000 }); // the daemon compared the fingerprints
        }
        catch (TimeoutException)
        {
            var diag = "a: " + await a.Locator(".call").InnerTextAsync() + "\nb: " + await b.Locator(".call").InnerTextAsync()
                + "\nastats: " + await a.EvaluateAsync<string>("async () => { const r = await window.parleyCallStats(); const o = []; r?.forEach(x => o.push(JSON.stringify(x))); return o.join('\\n'); }")
                + "\nconsole: " + string.Join("\n", browser.Console) + "\ncoturn: " + coturn.Output[Math.Max(0, coturn.Output.Length - 3000)..]
                + "\nalice daemon: " + ((DaemonProcess)stage.Daemon("alice")).Output + "\nbob daemon: " + ((DaemonProcess)stage.Daemon("bob")).Output;
            Assert.Fail(diag);
        }

        await b.Locator(".call-state").Filter(new() { HasText = "Connected" }).WaitForAsync();

        // The short code: the same six digits on both sides; the verified mark only on Alice's.
        var aCode = await a.Locator(".call-code strong").InnerTextAsync();
        var bCode = await b.Locator(".call-code strong").InnerTextAsync();
        Assert.Matches("^[0-9]{3} [0-9]{3}$", aCode);
        Assert.Equal(aCode, bCode);
        await a.Locator(".call-verified").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.True(await b.Locator(".call-verified").IsHiddenAsync());
        await CallPages.AxeAsync(a, "call screen (caller, connected)", axe);
        await CallPages.AxeAsync(b, "call screen (callee, connected)", axe);

        // Loopback through the relay: the quality indicator says good on both sides.
        await a.Locator(".call-quality[data-quality=good]").WaitForAsync();
        await b.Locator(".call-quality[data-quality=good]").WaitForAsync();

        var aStats = await WaitForMediaAsync(a);
        var bStats = await WaitForMediaAsync(b);
        foreach (var stats in new[] { aStats, bStats })
        {
            Assert.True(stats.FramesDecoded > 0, "no video frames decoded");
            Assert.True(stats.AudioEnergy > 0, "no audio energy received");
            Assert.Equal(("relay", "relay"), (stats.LocalType, stats.RemoteType));
            Assert.NotEmpty(stats.Addresses);
            Assert.All(stats.Addresses, address => Assert.Equal("127.0.0.1", address));
        }

        Assert.Equal(bStats.LocalFingerprint, aStats.RemoteFingerprint); // what alice's DTLS saw is bob's certificate
        Assert.Equal(aStats.LocalFingerprint, bStats.RemoteFingerprint);
        Assert.Equal(await SignalledFingerprintAsync(b), aStats.RemoteFingerprint); // and what bob signalled

        await SwitchDevicesAsync(a, b);

        var setupMs = await b.EvaluateAsync<double>(
            "() => performance.getEntriesByName('parley-call-first-frame')[0].startTime - performance.getEntriesByName('parley-call-accept')[0].startTime");
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "call-setup.txt"),
            string.Create(CultureInfo.InvariantCulture, $"call setup (accept clicked -> first remote video frame): {setupMs:0} ms; load average at accept: {load}\n"));

        // The callee hangs up; both sides end and both histories record the call.
        await b.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
        await a.Locator(".call-state").Filter(new() { HasText = "Call ended" }).WaitForAsync();
        await b.Locator(".call-state").Filter(new() { HasText = "Call ended" }).WaitForAsync();
        await a.Locator(".message .body").Filter(new() { HasTextRegex = CallPages.Lasted("Outgoing video call") }).WaitForAsync();
        await b.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await b.Locator($"li[data-user={alice.Name}] .conversation").ClickAsync();
        await b.Locator(".message .body").Filter(new() { HasTextRegex = CallPages.Lasted("Incoming video call") }).WaitForAsync();
        Assert.Matches(CallPages.Lasted("Incoming video call"), (await bob.OkAsync("history", alice.Name)).Stdout);

        // A declined voice call.
        await a.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await a.GetByRole(AriaRole.Button, new() { Name = $"Voice call {bob.Name}" }).ClickAsync();
        await CallPages.RingSoundsAsync(b);
        await b.GetByRole(AriaRole.Button, new() { Name = "Decline" }).ClickAsync();
        await CallPages.RingStoppedAsync(b);
        await a.Locator(".call-state").Filter(new() { HasText = "Declined." }).WaitForAsync();
        await a.Locator(".message .body").Filter(new() { HasText = "Outgoing voice call (declined)" }).WaitForAsync();
        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
        Assert.True(axe.Count == 0, string.Join('\n', axe));
    }

    /// <summary>
    /// The camera and microphone selectors list the fake devices; choosing one replaces the track on
    /// the sender (another track id in getStats' media-source) and the contact keeps receiving frames and sound.
    /// </summary>
    private static async Task SwitchDevicesAsync(IPage caller, IPage callee)
    {
        var camera = caller.Locator(".call-devices select[name=camera]");
        var microphone = caller.Locator(".call-devices select[name=microphone]");
        await caller.GetByLabel("Camera").WaitForAsync();
        Assert.True(await camera.Locator("option").CountAsync() >= 1);
        Assert.True(await microphone.Locator("option").CountAsync() >= 1);
        Assert.All(await camera.Locator("option").AllInnerTextsAsync(), label => Assert.False(string.IsNullOrWhiteSpace(label)));
        Assert.All(await microphone.Locator("option").AllInnerTextsAsync(), label => Assert.False(string.IsNullOrWhiteSpace(label)));

        foreach (var (select, kind) in new[] { (camera, "video"), (microphone, "audio") })
        {
            var before = await caller.EvaluateAsync<string>(SourceTrackScript, kind);
            var received = await callee.EvaluateAsync<double>(ReceivedScript, kind);
            // The fake devices are one of each: choose the selected one again (a change event), which
            // opens a new track from it and replaces the sender's, as picking another device would.
            await select.SelectOptionAsync(await select.InputValueAsync());
            await select.DispatchEventAsync("change");
            await CallPages.PollAsync($"{kind} track replaced on the sender", MediaWait,
                async () => await caller.EvaluateAsync<string>(SourceTrackScript, kind) is { Length: > 0 } now && now != before);
            var minimum = received + (kind == "video" ? 20 : 0.001);
            await CallPages.PollAsync($"{kind} still received after the switch", MediaWait,
                async () => await callee.EvaluateAsync<double>(ReceivedScript, kind) > minimum);
        }
    }

    /// <summary>The track id of what the page sends of a kind (getStats media-source).</summary>
    private const string SourceTrackScript = @"async (kind) => {
        const report = await window.parleyCallStats();
        let id = '';
        report.forEach(r => { if (r.type === 'media-source' && r.kind === kind) id = r.trackIdentifier; });
        return id;
    }";

    /// <summary>Frames decoded (video) or audio energy (audio) received so far.</summary>
    private const string ReceivedScript = @"async (kind) => {
        const report = await window.parleyCallStats();
        let value = 0;
        report.forEach(r => { if (r.type === 'inbound-rtp' && r.kind === kind) value = kind === 'video' ? r.framesDecoded : (r.totalAudioEnergy ?? 0); });
        return value;
    }";

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The a=fingerprint of the page's own local description: what its daemon signalled.</summary>
    private static Task<string> SignalledFingerprintAsync(IPage page) =>
        page.EvaluateAsync<string>(
            @"async () => {
                const report = await window.parleyCallStats();
                let id = null;
                report.forEach(r => { if (r.type === 'transport' && r.localCertificateId) id = r.localCertificateId; });
                const c = report.get(id);
                return 'sha-256 ' + c.fingerprint.toUpperCase();
            }");

    /// <summary>Polls getStats (bounded) until video frames were decoded and audio energy arrived.</summary>
    private static async Task<MediaStats> WaitForMediaAsync(IPage page)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var json = await page.EvaluateAsync<string>(StatsScript);
            var stats = JsonSerializer.Deserialize<MediaStats>(json, JsonOptions)!;
            if ((stats.FramesDecoded > 0 && stats.AudioEnergy > 0) || clock.Elapsed > MediaWait)
            {
                return stats;
            }

            await page.WaitForTimeoutAsync(250);
        }
    }

    private const string StatsScript = @"async () => {
        const report = await window.parleyCallStats();
        const all = []; report.forEach(r => all.push(r));
        const video = all.find(r => r.type === 'inbound-rtp' && r.kind === 'video');
        const audio = all.find(r => r.type === 'inbound-rtp' && r.kind === 'audio');
        const transport = all.find(r => r.type === 'transport');
        const pair = transport && report.get(transport.selectedCandidatePairId);
        const addresses = [];
        all.filter(r => r.type === 'candidate-pair').forEach(p => {
            for (const id of [p.localCandidateId, p.remoteCandidateId]) {
                const c = report.get(id); if (c) addresses.push(c.address ?? c.ip);
            }
        });
        const cert = (id) => { const c = id && report.get(id); return c ? 'sha-256 ' + c.fingerprint.toUpperCase() : null; };
        return JSON.stringify({
            framesDecoded: video ? video.framesDecoded : 0,
            audioEnergy: audio ? (audio.totalAudioEnergy ?? 0) : 0,
            localType: pair ? report.get(pair.localCandidateId)?.candidateType : null,
            remoteType: pair ? report.get(pair.remoteCandidateId)?.candidateType : null,
            addresses,
            localFingerprint: transport ? cert(transport.localCertificateId) : null,
            remoteFingerprint: transport ? cert(transport.remoteCertificateId) : null,
        });
    }";

    private sealed record MediaStats(
        long FramesDecoded, double AudioEnergy, string? LocalType, string? RemoteType, IReadOnlyList<string> Addresses,
        string? LocalFingerprint, string? RemoteFingerprint);
}
