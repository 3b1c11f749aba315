using Microsoft.Extensions.Logging.Abstractions;
using Parley.Client;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.Daemon.Hosting;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>What a test needs of a running daemon: its web app's port and secret, and its Unix socket.</summary>
internal interface ILocalDaemon
{
    int Port { get; }

    string Token { get; }

    string SocketPath { get; }
}

/// <summary>
/// The daemon of <c>parley daemon</c> (the same <see cref="DaemonHost"/>, the same options a command
/// line gives it) hosted in the test's process, so the test can give it a clock of its own
/// (<see cref="JumpingClock"/>) — the only way in: the product has no switch for it.
/// </summary>
internal sealed class InProcessDaemon : ILocalDaemon, IAsyncDisposable
{
    private readonly DaemonHost _host;

    private InProcessDaemon(DaemonHost host)
    {
        _host = host;
        var fragment = new Uri(host.WebUrl).Fragment;
        Token = fragment.StartsWith("#token=", StringComparison.Ordinal) ? fragment["#token=".Length..] : throw new InvalidOperationException("The web address carries no secret.");
    }

    public int Port => _host.Port;

    public string Token { get; }

    public string SocketPath => _host.SocketPath;

    /// <summary>Starts the daemon of <paramref name="cli"/>'s home (whose profiles it logged in) on <paramref name="time"/>.</summary>
    public static async Task<InProcessDaemon> StartAsync(Infrastructure.Cli cli, TimeProvider time)
    {
        var options = new DaemonOptions
        {
            Home = new ParleyHome(cli.Home),
            Client = new ClientOptions { KeyCache = new UnlockedKeyCache(cli.RuntimeDirectory), Time = time },
            Loggers = NullLoggerFactory.Instance,
        };
        return new InProcessDaemon(await DaemonHost.StartAsync(options, CancellationToken.None).WaitAsync(TestTimeouts.ServerStart));
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
