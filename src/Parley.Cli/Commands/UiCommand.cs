using System.CommandLine;
using System.Diagnostics;
using Parley.Cli.Input;
using Parley.Daemon.Remote;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley ui [--no-open]</c>: the web app. Uses the home's running daemon, or starts one in the
/// background (its log in <c>HOME/daemon.log</c>, 0600), prints the address — with the secret in the
/// fragment, which browsers never send — as the first line of stdout, and opens the browser.
/// Closing the tab does not stop the daemon.
/// </summary>
internal static class UiCommand
{
    /// <summary>How long to wait for a daemon this command started to answer on its socket.</summary>
    private static readonly TimeSpan DaemonStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often the socket is tried while the daemon starts.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private static readonly Option<bool> NoOpen = new("--no-open")
    {
        Description = "Only print the address; do not open a browser.",
    };

    public static Command Build()
    {
        var command = new Command("ui", "Open the Parley web app: starts the daemon for this home if none runs (or uses the running one), prints the address as the first line and opens your browser. Closing the tab does not stop the daemon.") { NoOpen };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext ctx, CancellationToken ct)
    {
        var url = await EnsureDaemonAsync(ctx, ct).ConfigureAwait(false);
        Console.Out.WriteLine(url);
        Console.Out.Flush();
        if (!ctx.Get(NoOpen))
        {
            OpenBrowser(url);
        }

        return 0;
    }

    /// <summary>The web app's address of the home's daemon, starting one in the background when none runs.</summary>
    internal static async Task<string> EnsureDaemonAsync(CommandContext ctx, CancellationToken ct)
    {
        var home = ctx.Home;
        var url = await AddressAsync(ctx, ct).ConfigureAwait(false);
        if (url is null)
        {
            StartDaemon(ctx, home.Root);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(DaemonStartTimeout);
            while (url is null)
            {
                try
                {
                    await Task.Delay(PollInterval, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new CliException($"The Parley daemon did not start within {DaemonStartTimeout.TotalSeconds:0} seconds; see {Path.Combine(home.Root, "daemon.log")}.");
                }

                url = await AddressAsync(ctx, ct).ConfigureAwait(false);
            }
        }

        return url;
    }

    /// <summary>The running daemon's web address, or null when none answers.</summary>
    private static async Task<string?> AddressAsync(CommandContext ctx, CancellationToken ct)
    {
        var api = RemoteApi.TryConnect(ctx.Home, ctx.Options.KeyCache);
        if (api is null)
        {
            return null;
        }

        await using (api.ConfigureAwait(false))
        {
            var info = await api.InfoAsync(ct).ConfigureAwait(false);
            return info.Url;
        }
    }

    /// <summary>Starts <c>parley daemon</c> for this home in the background, its output in a 0600 log.</summary>
    private static void StartDaemon(CommandContext ctx, string homeRoot)
    {
        Parley.Client.Profiles.FileModes.CreatePrivateDirectory(homeRoot);
        var log = Path.Combine(homeRoot, "daemon.log");
        if (!File.Exists(log))
        {
            Parley.Client.Profiles.FileModes.WritePrivateFileAtomically(log, []);
        }

        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // sh redirects and detaches (setsid when present), so the daemon outlives this command and its terminal.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("command -v setsid >/dev/null && exec setsid \"$@\" >>\"$0\" 2>&1 </dev/null || exec \"$@\" >>\"$0\" 2>&1 </dev/null");
        start.ArgumentList.Add(log);
        start.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]); // parley.dll, when run as `dotnet parley.dll`
        }

        start.ArgumentList.Add("--home");
        start.ArgumentList.Add(homeRoot);
        if (ctx.Profile is { } profile)
        {
            start.ArgumentList.Add("--as");
            start.ArgumentList.Add(profile);
        }

        start.ArgumentList.Add("daemon");
        using var process = Process.Start(start) ?? throw new CliException("The Parley daemon could not be started.");
    }

    internal static void OpenBrowser(string url)
    {
        try
        {
            using var opener = Process.Start(new ProcessStartInfo("xdg-open", [url]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("parley: no browser opener (xdg-open) found; open the address above yourself.");
        }
    }
}
