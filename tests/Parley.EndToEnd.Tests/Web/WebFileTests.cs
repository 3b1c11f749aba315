using System.Security.Cryptography;
using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// Files in the web app: alice picks a 5 MiB file and a picture, sees the transfer with its progress
/// bar; bob downloads each (verified by his daemon before the page gets a byte), saves the big one
/// byte for byte, and sees the picture as a thumbnail.
/// </summary>
public sealed class WebFileTests
{
    /// <summary>A 2×2 PNG (red, green, blue, white), so the thumbnail has real pixels to decode.</summary>
    private static readonly byte[] Picture = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC");

    [Fact]
    public async Task A_file_and_a_picture_sent_from_the_browser_are_downloaded_verified_saved_and_shown()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        await Task.WhenAll(alice.RegisterAsync(), bob.RegisterAsync());
        await User.BefriendAsync(alice, bob);
        await using var aliceDaemon = await DaemonProcess.StartAsync(alice.Cli);
        await using var bobDaemon = await DaemonProcess.StartAsync(bob.Cli);
        await using var browser = await Browser.LaunchAsync();
        var a = await OpenConversationAsync(browser, aliceDaemon, bob.Name);
        var b = await OpenConversationAsync(browser, bobDaemon, alice.Name);

        var big = Path.Combine(world.Root, "holiday-video.bin");
        await File.WriteAllBytesAsync(big, RandomNumberGenerator.GetBytes(5 * 1024 * 1024));
        var picture = Path.Combine(world.Root, "tiny.png");
        await File.WriteAllBytesAsync(picture, Picture);

        // Alice picks the big file: a transfer row with a progress bar, then her file message.
        await a.Locator("#attach-file").SetInputFilesAsync(big);
        var row = a.Locator(".transfer").Filter(new() { HasText = "holiday-video.bin" });
        await row.Locator("progress").WaitForAsync();
        Assert.Contains("5.2 MB", await row.Locator(".transfer-figures").InnerTextAsync(), StringComparison.Ordinal);
        await a.Locator(".message.out .file").Filter(new() { HasText = "holiday-video.bin" }).WaitForAsync();

        // Bob downloads: verified by his daemon, then offered to save; the saved bytes are alice's.
        var card = b.Locator(".message.in .file").Filter(new() { HasText = "holiday-video.bin" });
        await card.GetByText("5.2 MB").WaitForAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync();
        var save = card.Locator("a.save");
        await save.WaitForAsync();
        var download = await b.RunAndWaitForDownloadAsync(() => save.ClickAsync());
        Assert.Equal("holiday-video.bin", download.SuggestedFilename);
        var saved = Path.Combine(world.Root, "saved.bin");
        await download.SaveAsAsync(saved);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(big)), SHA256.HashData(await File.ReadAllBytesAsync(saved)));

        // A picture: a thumbnail once downloaded and verified, decoded by the browser.
        await a.Locator("#attach-file").SetInputFilesAsync(picture);
        var pictureCard = b.Locator(".message.in .file").Filter(new() { HasText = "tiny.png" });
        await pictureCard.GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync();
        var thumbnail = pictureCard.Locator("img.thumbnail");
        await thumbnail.WaitForAsync();
        await b.WaitForFunctionAsync("() => { const i = document.querySelector('.message.in img.thumbnail'); return i && i.complete && i.naturalWidth === 2; }");
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "web-screenshots"));
        await b.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-screenshots", "7-files.png") });

        // Nothing staged is left behind once sent and fetched; nothing failed in the pages.
        Assert.False(Directory.EnumerateFiles(Path.Combine(alice.Cli.Home, "staging"), "*", SearchOption.AllDirectories).Any());
        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
    }

    private static async Task<IPage> OpenConversationAsync(Browser browser, DaemonProcess daemon, string with)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/#token={daemon.Token}");
        await page.Locator(".sidebar .connection[data-state=connected]").WaitForAsync();
        await page.Locator($"li[data-user={with}] .conversation").ClickAsync();
        await page.Locator("#composer").WaitForAsync();
        return page;
    }
}
