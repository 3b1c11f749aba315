using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// Desktop notifications while the tab is hidden: only who wrote by default, the message text only
/// once the user turns previews on — a setting the daemon saves in the profile, so a new page keeps it.
/// The page's Notification API is replaced by a recorder (headless Chromium shows none) and the tab
/// reports itself hidden.
/// </summary>
public sealed class WebNotificationTests
{
    private const string Recorder = """
        window.__notifications = [];
        window.Notification = class {
          static permission = "granted";
          static requestPermission() { return Promise.resolve("granted"); }
          constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); }
        };
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
        """;

    [Fact]
    public async Task Notifications_show_no_message_text_until_previews_are_turned_on_and_the_daemon_keeps_the_choice()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser, w);

        await w.Alice.SendAsync(w.Bob, "the door code is 4711");
        Assert.Equal("New message", await NextNotificationAsync(page, 1));

        await page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
        var box = page.GetByLabel("Show message text in notifications");
        Assert.False(await box.IsCheckedAsync());
        await box.CheckAsync();
        await page.Locator("dialog.account [role=status]").Filter(new() { HasText = "show the message text" }).WaitForAsync();
        await page.Locator("dialog.account").GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        await w.Alice.SendAsync(w.Bob, "see you at eight");
        Assert.Equal("see you at eight", await NextNotificationAsync(page, 2));

        // Saved by the daemon in bob's profile: a new page starts with previews on.
        var settings = await File.ReadAllTextAsync(Path.Combine(w.Bob.Cli.Home, "profiles", "bob", "profile.json"));
        Assert.Contains("\"notificationPreviews\": true", settings, StringComparison.Ordinal);
        var again = await OpenAsync(browser, w);
        await again.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
        await again.Locator("#notify-previews:not([disabled])").WaitForAsync();
        Assert.True(await again.GetByLabel("Show message text in notifications").IsCheckedAsync());
        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
    }

    private static async Task<IPage> OpenAsync(Browser browser, DaemonWorld w)
    {
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync(Recorder);
        await page.GotoAsync($"http://127.0.0.1:{w.Daemon!.Port}/#token={w.Daemon.Token}");
        await page.Locator(".sidebar .connection[data-state=connected]").WaitForAsync();
        return page;
    }

    private static async Task<string> NextNotificationAsync(IPage page, int count)
    {
        await page.WaitForFunctionAsync("n => window.__notifications.length >= n", count);
        var body = await page.EvaluateAsync<string>("n => window.__notifications[n - 1].body", count);
        Assert.Equal("Parley: alice", await page.EvaluateAsync<string>("n => window.__notifications[n - 1].title", count));
        return body;
    }
}
