using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// Trust on first use in the first-run screen: before any password leaves the page the daemon probes
/// the server, the page shows the certificate's fingerprint and waits for the user's confirmation; a
/// certificate other than the one pinned is refused with a clear sentence.
/// </summary>
public sealed class WebFirstRunTests
{
    [Fact]
    public async Task The_probed_fingerprint_is_shown_and_confirmed_before_registering_and_a_changed_one_is_refused()
    {
        await using var world = await World.StartAsync();
        var carol = world.NewUser("carol");
        await using var daemon = await DaemonProcess.StartAsync(carol.Cli);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/#token={daemon.Token}");
        var status = page.Locator("form.login [role=alert]");

        await FillAsync(page, world, carol.Password);
        await page.ClickAsync("form.login button[type=submit]");
        await page.Locator("#login-probed").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^SHA256:") }).WaitForAsync();
        var probed = (await page.Locator("#login-probed").InnerTextAsync()).Trim();
        Assert.Equal(world.Server.Fingerprint, probed, ignoreCase: true);
        await status.Filter(new() { HasText = "compare its fingerprint" }).WaitForAsync();
        await page.ClickAsync("form.login button[type=submit]");
        await status.Filter(new() { HasText = "Confirm the server's fingerprint first" }).WaitForAsync();
        await page.GetByLabel("It matches the one the operator published: trust this server").CheckAsync();
        await page.ClickAsync("form.login button[type=submit]");
        await page.Locator(".sidebar .me strong").Filter(new() { HasText = "carol" }).WaitForAsync();
        var settingsPath = Path.Combine(carol.Cli.Home, "profiles", "carol", "profile.json");
        Assert.Contains(probed, await File.ReadAllTextAsync(settingsPath), StringComparison.Ordinal); // pinned

        // The server's certificate "changes": the pin no longer matches what the server presents.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        try
        {
            await page.Locator("form.login").WaitForAsync();
        }
        catch (TimeoutException e)
        {
            // Intermittent in CI (twice in about fifteen runs): say what the page and the daemon showed.
            var toast = await page.Locator(".toast").InnerTextAsync();
            var output = daemon.Output;
            throw new TimeoutException(
                $"No sign-in form after 'Log out'. Toast: '{toast}'. Connection: '{await page.Locator(".connection").InnerTextAsync()}'. " +
                $"Console: {string.Join(" | ", browser.Console)}. Daemon output (end): {output[Math.Max(0, output.Length - 3000)..]}", e);
        }
        var otherPin = "SHA256:" + new string('0', probed.Length - "SHA256:".Length);
        await File.WriteAllTextAsync(settingsPath, (await File.ReadAllTextAsync(settingsPath)).Replace(probed, otherPin, StringComparison.Ordinal));
        await page.ClickAsync("#tab-login");
        await FillAsync(page, world, carol.Password);
        await page.ClickAsync("form.login button[type=submit]");
        await status.Filter(new() { HasText = "Refused: the server's certificate changed" }).WaitForAsync();
        Assert.Contains(otherPin, await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#login-trust").IsHiddenAsync()); // nothing to confirm: a changed certificate is not offered
        await page.ClickAsync("form.login button[type=submit]");
        await status.Filter(new() { HasText = "Refused" }).WaitForAsync();
        Assert.Equal(0, await page.Locator(".sidebar").CountAsync());
        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
    }

    private static async Task FillAsync(IPage page, World world, string password)
    {
        await page.FillAsync("#login-user", "carol");
        await page.FillAsync("#login-server", world.Server.Url);
        await page.FillAsync("#login-password", password);
    }
}
