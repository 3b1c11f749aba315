using System.Net;
using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// The web app as people use it: a real server, one <c>parley daemon</c> per person, Debian's
/// Chromium with one browser context each. Screenshots of the main screens are kept under
/// <c>web-screenshots/</c> beside the test binaries.
/// </summary>
public sealed class WebAppTests
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "web-screenshots");

    [Fact]
    public async Task Two_people_register_become_contacts_chat_with_receipts_and_typing_and_compare_safety_numbers()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        await using var aliceDaemon = await DaemonProcess.StartAsync(alice.Cli);
        await using var bobDaemon = await DaemonProcess.StartAsync(bob.Cli);
        await using var browser = await Browser.LaunchAsync();
        var a = await browser.NewPageAsync();
        var b = await browser.NewPageAsync(width: 390, height: 800); // a phone-width window

        await OpenAsync(a, aliceDaemon);
        Assert.DoesNotContain(aliceDaemon.Token, a.Url, StringComparison.Ordinal); // the secret leaves the address bar
        await OpenAsync(b, bobDaemon);
        await Shot(a, "1-sign-in");
        await RegisterAsync(a, alice, world.Server);
        await RegisterAsync(b, bob, world.Server);

        // Contact request with a note; bob sees it on top and accepts.
        await a.FillAsync("#add-user", bob.Name);
        await a.FillAsync("#add-note", "it's alice from work");
        await a.ClickAsync(".add-contact button[type=submit]");
        await a.Locator(".add-contact .form-status").Filter(new() { HasText = "Request sent" }).WaitForAsync();
        var request = b.Locator($".request[data-user={alice.Name}]");
        await request.Filter(new() { HasText = "it's alice from work" }).WaitForAsync();
        await Shot(b, "2-request");
        await request.GetByRole(AriaRole.Button, new() { Name = $"Accept {alice.Name}" }).ClickAsync();

        // Alice writes (two lines: Shift+Enter), bob sees an unread count, opens it, alice sees "read".
        await a.Locator($"li[data-user={bob.Name}] .conversation").ClickAsync();
        await a.Locator("#composer").WaitForAsync();
        await a.Locator(".banner").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await a.FillAsync("#composer", "lunch at noon?");
        await a.PressAsync("#composer", "Shift+Enter");
        await a.Keyboard.TypeAsync("the usual place");
        await a.PressAsync("#composer", "Enter");
        await b.Locator($"li[data-user={alice.Name}] .unread").Filter(new() { HasText = "1" }).WaitForAsync();
        await Shot(b, "3-unread");
        await b.Locator($"li[data-user={alice.Name}] .conversation").ClickAsync();
        var received = b.Locator(".message.in .body").First;
        Assert.Equal("lunch at noon?\nthe usual place", await received.InnerTextAsync());
        await a.Locator(".message.out[data-state=read]").WaitForAsync();

        // Typing shows on the other side; bob's answer arrives live and is read at once (open, visible).
        await b.FillAsync("#composer", "sure");
        await a.Locator(".typing-line").Filter(new() { HasText = "typing" }).WaitForAsync();
        await b.PressAsync("#composer", "Enter");
        await a.Locator(".message.in .body").Filter(new() { HasText = "sure" }).WaitForAsync();
        await b.Locator(".message.out[data-state=read]").WaitForAsync();
        Assert.Equal(0, await a.Locator($"li[data-user={bob.Name}] .unread").CountAsync());
        await Shot(a, "4-chat");
        await Shot(b, "5-chat-phone");

        // The same safety number on both sides; alice marks bob verified.
        var aliceNumber = await SafetyNumberAsync(a);
        var bobNumber = await SafetyNumberAsync(b);
        Assert.Equal(12, aliceNumber.Count);
        Assert.All(aliceNumber, group => Assert.Matches("^[0-9]{5}$", group));
        Assert.Equal(aliceNumber, bobNumber);
        await b.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Shot(a, "6-safety-number");
        await a.GetByRole(AriaRole.Button, new() { Name = "Mark as verified" }).ClickAsync();
        await a.Locator("dialog.safety [role=status]").Filter(new() { HasText = "You verified" }).WaitForAsync();
        await a.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await a.Locator($"li[data-user={bob.Name}] .verified").WaitForAsync();

        // Log out: back to the sign-in screen.
        await b.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await b.Locator("form.login").WaitForAsync();

        // Nothing secret in the browser console or the daemons' logs (the address it prints at start
        // for its owner carries the secret by design).
        var logs = string.Join('\n', (aliceDaemon.Output + bobDaemon.Output).Split('\n').Where(l => !l.StartsWith("Web app: ", StringComparison.Ordinal)));
        foreach (var leak in new[] { "lunch at noon", "the usual place", "sure", aliceDaemon.Token, bobDaemon.Token, alice.Password, bob.Password })
        {
            Assert.DoesNotContain(browser.Console, line => line.Contains(leak, StringComparison.Ordinal));
            Assert.DoesNotContain(leak, logs, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(browser.Console, line => line.StartsWith("page error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_origin_cannot_use_the_api_and_the_page_without_its_secret_gets_nothing()
    {
        await using var world = await World.StartAsync();
        var carol = world.NewUser("carol");
        await using var daemon = await DaemonProcess.StartAsync(carol.Cli);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();

        // Without the fragment: an explanation, and no API connection.
        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/");
        await page.GetByText("parley ui").WaitForAsync();
        Assert.Equal(0, await page.Locator("form.login").CountAsync());

        // A page from another origin (here an opaque one) cannot open the API socket, even with the secret.
        var foreign = await browser.NewPageAsync();
        await foreign.SetContentAsync("<p>elsewhere</p>");
        var outcome = await foreign.EvaluateAsync<string>(
            @"([url, token]) => new Promise(resolve => {
                const socket = new WebSocket(url, ['parley.v1', 'parley-token.' + token]);
                socket.onopen = () => resolve('open');
                socket.onerror = () => resolve('refused');
            })",
            new object[] { $"ws://127.0.0.1:{daemon.Port}/api/v1/ws", daemon.Token });
        Assert.Equal("refused", outcome);

        // A foreign Host header (DNS rebinding) is refused before anything is served.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{daemon.Port}/");
        request.Headers.Host = $"rebind.example:{daemon.Port}";
        using var response = await http.SendAsync(request).WaitAsync(Browser.Wait);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        // The page itself is served with the strict policy.
        using var page200 = await http.GetAsync(new Uri($"http://127.0.0.1:{daemon.Port}/")).WaitAsync(Browser.Wait);
        var policy = string.Join(";", page200.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.False(page200.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Parley_ui_starts_the_daemon_once_prints_the_address_first_and_the_address_serves_the_app()
    {
        await using var world = await World.StartAsync();
        var dave = world.NewUser("dave");
        var first = await dave.Cli.RunAsync(null, "ui", "--no-open");
        Assert.True(first.ExitCode == 0, first.ToString());
        var address = new Uri(first.Stdout.Split('\n')[0].Trim());
        int pid = 0;
        try
        {
            Assert.Equal("127.0.0.1", address.Host);
            Assert.Matches("^#token=[0-9a-f]{64}$", address.Fragment);
            var token = address.Fragment["#token=".Length..];
            using var http = new HttpClient();
            using (var info = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/api/v1/rpc")))
            {
                info.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                info.Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\",\"params\":{}}", System.Text.Encoding.UTF8, "application/json");
                using var answer = await http.SendAsync(info).WaitAsync(Browser.Wait);
                using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
                pid = json.RootElement.GetProperty("result").GetProperty("pid").GetInt32();
            }

            // A second `parley ui` uses the running daemon: the same address.
            var second = await dave.Cli.RunAsync(null, "ui", "--no-open");
            Assert.Equal(first.Stdout.Split('\n')[0], second.Stdout.Split('\n')[0]);
            using var page = await http.GetAsync(new Uri(address, "/")).WaitAsync(Browser.Wait);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var log = Path.Combine(dave.Cli.Home, "daemon.log");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
            }

            Assert.DoesNotContain(token, string.Join('\n', File.ReadAllLines(log).Where(l => !l.StartsWith("Web app: ", StringComparison.Ordinal))), StringComparison.Ordinal);
        }
        finally
        {
            // The daemon outlives `parley ui` by design; stop it even when the test failed before it read the pid.
            foreach (var daemonPid in pid > 0 ? [pid] : DaemonsOf(dave.Cli.Home))
            {
                System.Diagnostics.Process daemon;
                try
                {
                    daemon = System.Diagnostics.Process.GetProcessById(daemonPid);
                }
                catch (ArgumentException)
                {
                    continue; // already gone
                }

                using (daemon)
                {
                    daemon.Kill();
                    await daemon.WaitForExitAsync().WaitAsync(Browser.Wait);
                }
            }
        }
    }

    /// <summary>The processes running <c>parley --home HOME … daemon</c> (from /proc).</summary>
    private static List<int> DaemonsOf(string home)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var candidate))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                int at = Array.IndexOf(arguments, "--home");
                if (at >= 0 && at + 1 < arguments.Length && arguments[at + 1] == home && arguments.Contains("daemon"))
                {
                    found.Add(candidate);
                }
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // another user's process
            }
        }

        return found;
    }

    private static async Task OpenAsync(IPage page, DaemonProcess daemon)
    {
        await page.GotoAsync($"http://127.0.0.1:{daemon.Port}/#token={daemon.Token}");
        await page.Locator("form.login").WaitForAsync();
    }

    private static async Task RegisterAsync(IPage page, User user, ServerProcess server)
    {
        await page.FillAsync("#login-user", user.Name);
        await page.FillAsync("#login-server", server.Url);
        await page.FillAsync("#login-password", user.Password);
        await page.Locator("#login-strength-text").Filter(new() { HasText = "accepted" }).WaitForAsync();
        await page.FillAsync("#login-fingerprint", server.Fingerprint);
        await page.ClickAsync("form.login button[type=submit]");
        try
        {
            await page.Locator(".sidebar .connection[data-state=connected]").WaitForAsync();
        }
        catch (TimeoutException)
        {
            await Shot(page, "register-failed-" + user.Name); // what the user saw, for the failure's reader
            throw;
        }
    }

    private static async Task<IReadOnlyList<string>> SafetyNumberAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Safety number" }).ClickAsync();
        var groups = page.Locator("dialog.safety .safety-number span");
        await groups.First.WaitForAsync();
        await page.Locator("dialog.safety img.qr").WaitForAsync();
        return await groups.AllInnerTextsAsync();
    }

    private static async Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png") });
    }
}
