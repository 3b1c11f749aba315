using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Parley.Cli.Input;
using Parley.Daemon.Hosting;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley daemon [--port N]</c>: runs the live client in the foreground until SIGINT or SIGTERM;
/// logs go to stderr, the addresses to stdout.
/// </summary>
internal static class DaemonCommand
{
    private static readonly Option<int> Port = new("--port")
    {
        Description = "The loopback TCP port of the local API and the web app (default: a free one).",
        HelpName = "N",
        DefaultValueFactory = _ => 0,
    };

    public static Command Build()
    {
        var command = new Command("daemon", "Run the live client: one connection per logged-in profile (or only --as USER), receiving in real time, with the local JSON-RPC API for scripts, bots and the web app (docs/API.md). While it runs, every parley command goes through it.") { Port };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext ctx, CancellationToken ct)
    {
        var port = ctx.Get(Port);
        if (port is < 0 or > 65535)
        {
            throw CliException.Usage("--port must be between 1 and 65535 (or 0 for a free one).");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var loggers = LoggerFactory.Create(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Parley", LogLevel.Information));
        var options = new DaemonOptions { Home = ctx.Home, Client = ctx.Options, Only = ctx.Profile, Port = port, Loggers = loggers };
        await using (var host = await DaemonHost.StartAsync(options, stop.Token).ConfigureAwait(false))
        {
            var profiles = host.Profiles.Count == 0 ? "no logged-in profile yet (log in through it)" : string.Join(", ", host.Profiles);
            Console.Out.WriteLine($"Parley daemon serving {profiles}.");
            Console.Out.WriteLine($"Local API socket: {host.SocketPath}");
            Console.Out.WriteLine($"Web app: {host.WebUrl}");
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: stop cleanly below.
            }
        }

        Console.Error.WriteLine("parley: daemon stopped.");
        return 0;
    }
}
