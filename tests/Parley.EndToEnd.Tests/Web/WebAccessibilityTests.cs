using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// Accessibility: axe-core (WCAG 2.1 A and AA rules, contrast included) finds nothing on the main
/// screens at desktop and phone width, in the light and the dark palette; the page never scrolls sideways at phone width; and a chat
/// works with the keyboard alone.
/// </summary>
public sealed class WebAccessibilityTests
{
    private static readonly AxeRunOptions Wcag = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Fact]
    public async Task Axe_finds_no_WCAG_AA_violation_on_the_main_screens_at_desktop_and_phone_width()
    {
        await using var w = await DaemonWorld.StartAsync();
        await w.Alice.SendAsync(w.Bob, "hello from alice");
        await using var browser = await Browser.LaunchAsync();
        var problems = new List<string>();
        foreach (var (width, height, scheme) in new[] { (1100, 720, ColorScheme.Light), (375, 740, ColorScheme.Light), (1100, 720, ColorScheme.Dark) })
        {
            var page = await browser.NewPageAsync(width, height);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme }); // the stylesheet has a dark palette too
            await page.GotoAsync($"http://127.0.0.1:{w.Daemon!.Port}/#token={w.Daemon.Token}");
            await page.Locator(".sidebar .connection[data-state=connected]").WaitForAsync();
            await page.Locator("li[data-user=alice]").WaitForAsync();
            await CheckAsync(page, $"conversation list, {width} px, {scheme}", problems);
            await page.Locator("li[data-user=alice] button.conversation").ClickAsync();
            await page.Locator(".messages li.message").First.WaitForAsync();
            await CheckAsync(page, $"chat, {width} px, {scheme}", problems);
            await page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
            await page.Locator("#notify-previews:not([disabled])").WaitForAsync();
            await CheckAsync(page, $"account dialog, {width} px, {scheme}", problems);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add another account" }).ClickAsync();
            await page.Locator("form.login").WaitForAsync();
            await CheckAsync(page, $"sign-in screen, {width} px, {scheme}", problems);
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task A_chat_works_with_the_keyboard_alone()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{w.Daemon!.Port}/#token={w.Daemon.Token}");
        await page.Locator("li[data-user=alice] button.conversation").WaitForAsync();
        var reached = false;
        for (var i = 0; i < 40 && !reached; i++) // bounded: the conversation is a few Tab presses away
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("() => document.activeElement?.closest('li[data-user=alice]') !== null");
        }

        Assert.True(reached, "Tab never reached the conversation with alice");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#composer:focus").WaitForAsync();
        await page.Keyboard.TypeAsync("typed without a mouse");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator(".message.out").Filter(new() { HasText = "typed without a mouse" }).WaitForAsync();
        Assert.Contains("typed without a mouse", User.Texts(await w.Alice.ReceiveAsync(5)));
    }

    private static async Task CheckAsync(IPage page, string screen, List<string> problems)
    {
        var result = await page.RunAxe(Wcag);
        problems.AddRange(result.Violations.Select(v =>
            $"{screen}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}"));
        if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
        {
            problems.Add($"{screen}: the page scrolls sideways");
        }
    }
}
