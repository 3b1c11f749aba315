using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// The web app's account screens and the key-change banner: change the password (a weak one
/// refused), add a second account to the same daemon, switch between them, delete one (only with the
/// password and the name typed again); and a contact whose identity changed blocks sending until the
/// user accepts the new key.
/// </summary>
public sealed class WebAccountTests
{
    [Fact]
    public async Task Password_change_second_account_switch_and_deletion_work_from_the_account_dialog()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        await alice.RegisterAsync();
        await using var daemon = await DaemonProcess.StartAsync(alice.Cli);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/#token={daemon.Token}");
        await page.Locator(".sidebar .connection[data-state=connected]").WaitForAsync();

        // Change the password: a weak one is refused in the page; a strong one is accepted, and the
        // next change proves it took (it needs the new one as the current password).
        await OpenAccountAsync(page);
        await page.FillAsync("#pw-current", alice.Password);
        await page.FillAsync("#pw-new", "alice123");
        await page.ClickAsync(".password-form button[type=submit]");
        await page.Locator(".password-form .form-status").Filter(new() { HasText = "too weak" }).WaitForAsync();
        const string Second = "glacier-umbrella-harmonica-quartz-58";
        await page.FillAsync("#pw-new", Second);
        await page.Locator("#pw-strength-text").Filter(new() { HasText = "accepted" }).WaitForAsync();
        await page.ClickAsync(".password-form button[type=submit]");
        await page.Locator(".password-form .form-status").Filter(new() { HasText = "Password changed" }).WaitForAsync();
        await page.FillAsync("#pw-current", alice.Password); // the old one no longer works
        await page.FillAsync("#pw-new", "lantern-cobalt-whistle-meadow-91");
        await page.ClickAsync(".password-form button[type=submit]");
        await page.Locator(".password-form .form-status").Filter(new() { HasText = "wrong" }).WaitForAsync();
        await page.FillAsync("#pw-current", Second);
        await page.ClickAsync(".password-form button[type=submit]");
        await page.Locator(".password-form .form-status").Filter(new() { HasText = "Password changed" }).WaitForAsync();

        // Add a second account to the same daemon, then switch back and forth.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add another account" }).ClickAsync();
        await page.FillAsync("#login-user", "carol");
        await page.FillAsync("#login-server", world.Server.Url);
        await page.FillAsync("#login-password", "ribbon-saxophone-carol-tundra-74");
        await page.FillAsync("#login-fingerprint", world.Server.Fingerprint);
        await page.ClickAsync("form.login button[type=submit]");
        await page.Locator(".sidebar .me strong").Filter(new() { HasText = "carol" }).WaitForAsync();
        await OpenAccountAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to alice" }).ClickAsync();
        await page.Locator(".sidebar .me strong").Filter(new() { HasText = "alice" }).WaitForAsync();
        await OpenAccountAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to carol" }).ClickAsync();
        await page.Locator(".sidebar .me strong").Filter(new() { HasText = "carol" }).WaitForAsync();

        // Delete carol: refused without the name typed exactly, then done; the page goes on as alice.
        await OpenAccountAsync(page);
        await page.FillAsync("#del-password", "ribbon-saxophone-carol-tundra-74");
        await page.FillAsync("#del-confirm", "caro");
        await page.ClickAsync(".delete-form button[type=submit]");
        await page.Locator(".delete-form .form-status").Filter(new() { HasText = "exactly" }).WaitForAsync();
        await page.FillAsync("#del-confirm", "carol");
        await page.ClickAsync(".delete-form button[type=submit]");
        await page.Locator(".sidebar .me strong").Filter(new() { HasText = "alice" }).WaitForAsync();
        var whoami = await alice.Cli.RunAsync(null, "--as", "carol", "whoami");
        Assert.NotEqual(0, whoami.ExitCode);
        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_contact_whose_identity_changed_shows_a_banner_and_blocks_sending_until_accepted()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        await Task.WhenAll(alice.RegisterAsync(), bob.RegisterAsync());
        await User.BefriendAsync(alice, bob);
        await using var daemon = await DaemonProcess.StartAsync(alice.Cli);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/#token={daemon.Token}");
        await page.Locator($"li[data-user={bob.Name}] .conversation").ClickAsync();
        await page.Locator("#composer").WaitForAsync();
        await page.FillAsync("#composer", "hello old bob"); // alice's daemon learns bob's key
        await page.PressAsync("#composer", "Enter");
        await page.Locator(".message.out[data-state=sent], .message.out[data-state=delivered]").Filter(new() { HasText = "hello old bob" }).WaitForAsync();

        // Bob replaces his identity from another home and writes: alice's page warns and stops sending.
        var newBob = world.NewUser("bob");
        var login = await newBob.LoginAsync();
        Assert.True(login.ExitCode == 0, login.ToString());
        await newBob.OkAsync("send", "alice", "new laptop");
        var banner = page.Locator(".banner").Filter(new() { HasText = "safety number changed" });
        await banner.WaitForAsync();
        Assert.True(await page.Locator(".composer").IsHiddenAsync());
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "web-screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "web-screenshots", "8-key-changed.png") });

        // Accepting the new key lifts the block.
        await banner.GetByRole(AriaRole.Button, new() { Name = "Accept the new key" }).ClickAsync();
        await page.Locator("#composer").WaitForAsync();
        await page.FillAsync("#composer", "welcome back");
        await page.PressAsync("#composer", "Enter");
        await page.Locator(".message.out[data-state=delivered], .message.out[data-state=read], .message.out[data-state=sent]").Filter(new() { HasText = "welcome back" }).WaitForAsync();
    }

    private static async Task OpenAccountAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
        await page.Locator("dialog.account").WaitForAsync();
    }
}
