using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// Debian's Chromium driven by Playwright: headless, no background networking, loopback only. Every
/// console line and page error is kept, so a test can assert that no message text or key leaked.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    /// <summary>Where Debian installs Chromium (<c>apt-get install -y chromium</c>; <c>.ci/run</c> does).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The bound of every single browser wait (registration derives keys with Argon2id).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _console = [];

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Every console message and page error of every page so far.</summary>
    public IReadOnlyList<string> Console
    {
        get
        {
            lock (_console)
            {
                return [.. _console];
            }
        }
    }

    /// <summary>Launches Chromium with the usual arguments and <paramref name="extraArgs"/> (e.g. fake camera and microphone).</summary>
    public static async Task<Browser> LaunchAsync(params string[] extraArgs)
    {
        var playwright = await Playwright.CreateAsync().WaitAsync(Wait);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync", .. extraArgs],
                Timeout = (float)Wait.TotalMilliseconds,
            }).WaitAsync(Wait);
            return new Browser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh context (its own storage, like another person's browser).</summary>
    public async Task<IPage> NewPageAsync(int width = 1100, int height = 720)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout((float)Wait.TotalMilliseconds);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => Record($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => Record("page error: " + error);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private void Record(string line)
    {
        lock (_console)
        {
            _console.Add(line);
        }
    }
}
