using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>What the browser call tests share: Chromium's fake media flags, opening a person's page, axe, and a hold on <c>calls.start</c>.</summary>
internal static class CallPages
{
    /// <summary>A fake camera and microphone, no permission prompt, and audio that plays without a click.</summary>
    public static readonly string[] MediaArgs =
        ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"];

    /// <summary>
    /// Installed before the app loads: the page's <c>calls.start</c> request to its daemon waits in the
    /// page until <c>parleyTestRelease()</c>, so a test can choose when a placed call reaches the daemon;
    /// after <c>parleyTestHoldReplies()</c>, the daemon's answer to it waits in the page (behind the
    /// call's events, which travel apart from answers) until <c>parleyTestReleaseReplies()</c>.
    /// </summary>
    private const string HoldCallStart = @"(() => {
        const held = [];
        const heldReplies = [];
        const startIds = new Set();
        let holding = true;
        let holdingReplies = false;
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
            if (typeof data === 'string' && data.includes('""method"":""calls.start""')) {
                startIds.add(JSON.parse(data).id);
                if (holding) {
                    held.push(() => send.call(this, data));
                    return;
                }
            }
            return send.call(this, data);
        };
        const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
        Object.defineProperty(WebSocket.prototype, 'onmessage', {
            configurable: true,
            get() { return onmessage.get.call(this); },
            set(handler) {
                onmessage.set.call(this, handler && ((e) => {
                    if (holdingReplies && typeof e.data === 'string' && startIds.has(JSON.parse(e.data).id)) {
                        heldReplies.push(() => handler.call(this, e));
                        return;
                    }
                    return handler.call(this, e);
                }));
            },
        });
        window.parleyTestHeld = () => held.length;
        window.parleyTestRelease = () => { holding = false; held.splice(0).forEach((f) => f()); };
        window.parleyTestHold = () => { holding = true; };
        window.parleyTestHeldReplies = () => heldReplies.length;
        window.parleyTestHoldReplies = () => { holdingReplies = true; };
        window.parleyTestReleaseReplies = () => { holdingReplies = false; heldReplies.splice(0).forEach((f) => f()); };
    })();";

    /// <summary>A new context's page signed in to <paramref name="daemon"/>'s web app, connected.</summary>
    public static async Task<IPage> OpenAsync(Browser browser, ILocalDaemon daemon, bool holdCallStart = false)
    {
        var page = await browser.NewPageAsync();
        if (holdCallStart)
        {
            await page.AddInitScriptAsync(HoldCallStart);
        }

        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/#token={daemon.Token}");
        await page.Locator(".sidebar .connection[data-state=connected]").WaitForAsync();
        return page;
    }

    /// <summary>Waits until the page placed a call whose <c>calls.start</c> is being held (polled: a loaded page may paint no frames).</summary>
    public static Task WaitForHeldCallAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.parleyTestHeld() === 1", null, new() { PollingInterval = 100, Timeout = (float)Browser.Wait.TotalMilliseconds });

    /// <summary>
    /// Runs <paramref name="steps"/>; when one fails, fails with what each page showed and its call
    /// controller's state and trace (steps and events, no SDP), the held requests and the last console lines.
    /// </summary>
    public static async Task ExplainingAsync(Browser browser, (string Name, IPage Page)[] pages, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var report = new System.Text.StringBuilder(e.Message).AppendLine().AppendLine("--- the pages when it failed:");
            foreach (var (name, page) in pages)
            {
                report.Append(name).Append(": ").AppendLine(await DescribeAsync(page));
            }

            report.AppendLine("--- last console lines:");
            foreach (var line in browser.Console.TakeLast(20))
            {
                report.AppendLine(line);
            }

            throw new Xunit.Sdk.XunitException(report.ToString(), e);
        }
    }

    private static async Task<string> DescribeAsync(IPage page)
    {
        const string Script = @"() => JSON.stringify({
            view: document.querySelector('.call')?.hidden === false
                ? (document.querySelector('.call h2')?.textContent ?? '') + ' | ' + (document.querySelector('.call-state')?.textContent ?? '')
                : '(no call view)',
            held: typeof window.parleyTestHeld === 'function' ? window.parleyTestHeld() : null,
            state: typeof window.parleyCallState === 'function' ? window.parleyCallState() : null,
        }, null, 1)";
        try
        {
            return await page.EvaluateAsync<string>(Script).WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return "(page unreadable: " + e.Message + ")";
        }
    }

    /// <summary>Waits (polled) until <paramref name="condition"/>, a JavaScript expression, holds on the page.</summary>
    public static Task WaitForAsync(IPage page, string condition) =>
        page.WaitForFunctionAsync("() => " + condition, null, new() { PollingInterval = 100, Timeout = (float)Browser.Wait.TotalMilliseconds });

    /// <summary>Lets the held <c>calls.start</c> go to the daemon (and every later one, until <c>parleyTestHold()</c> holds again).</summary>
    public static Task ReleaseAsync(IPage page) => page.EvaluateAsync("() => window.parleyTestRelease()");

    /// <summary>The call view's state line once it says <paramref name="text"/>.</summary>
    public static Task StateAsync(IPage page, string text) =>
        page.Locator(".call-state").Filter(new() { HasText = text }).WaitForAsync();

    /// <summary>Closes an ended call's view.</summary>
    public static Task CloseAsync(IPage page) => page.Locator(".call").GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

    /// <summary>Waits (bounded) until the incoming-call ring's tone reaches the page's audio output (it sounds one second in three).</summary>
    public static Task RingSoundsAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.parleyRing.playing() && window.parleyRing.level() > 0.01", null,
            new() { PollingInterval = 50, Timeout = (float)Browser.Wait.TotalMilliseconds });

    /// <summary>Waits (bounded) until the ring stopped.</summary>
    public static Task RingStoppedAsync(IPage page) =>
        page.WaitForFunctionAsync("() => !window.parleyRing.playing()", null, new() { Timeout = (float)Browser.Wait.TotalMilliseconds });

    /// <summary>A history line of a connected call, whatever it lasted on a loaded machine: "Outgoing video call, 1:05".</summary>
    public static Regex Lasted(string what) => new(Regex.Escape(what) + @", [0-9]+:[0-9]{2}");

    /// <summary>Polls <paramref name="condition"/> (getStats figures have no event) every 100 ms until true; fails after <paramref name="bound"/>.</summary>
    public static async Task PollAsync(string what, TimeSpan bound, Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < bound, $"not within {bound.TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>axe-core's WCAG 2.1 A/AA rules (as WebAccessibilityTests runs them) on what the page shows now.</summary>
    public static async Task AxeAsync(IPage page, string screen, List<string> problems)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        }).WaitAsync(Browser.Wait);
        problems.AddRange(result.Violations.Select(v => $"{screen}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}"));
    }
}
