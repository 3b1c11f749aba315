using Microsoft.Extensions.Logging;
using Parley.Client;
using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Parley.Daemon.Rpc;

namespace Parley.Daemon.Hosting;

/// <summary>What <c>parley daemon</c> was asked to do.</summary>
public sealed class DaemonOptions
{
    /// <summary>The installation whose profiles are served.</summary>
    public required ParleyHome Home { get; init; }

    /// <summary>Client options (runtime directory of unlocked keys, timeouts).</summary>
    public required ClientOptions Client { get; init; }

    /// <summary>Serve only this profile (<c>--as</c>), or null for every logged-in one.</summary>
    public string? Only { get; init; }

    /// <summary>The loopback TCP port (<c>--port</c>), or 0 for a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where the daemon logs (stderr).</summary>
    public required ILoggerFactory Loggers { get; init; }
}

/// <summary>Thrown when the home already has a running daemon.</summary>
public sealed class DaemonAlreadyRunningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DaemonAlreadyRunningException()
        : base("A Parley daemon is already running for this home; stop it first (or use another --home).")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public DaemonAlreadyRunningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DaemonAlreadyRunningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// <c>parley daemon</c>: takes the home's lock, opens the profiles and their live links, serves the
/// API on the Unix socket and on loopback TCP until <c>stop</c> fires, then closes everything in
/// reverse order (the socket file is removed, the lock released).
/// </summary>
public sealed partial class DaemonHost : IAsyncDisposable
{
    private readonly DaemonLock _lock;
    private readonly ProfileRegistry _registry;
    private readonly DaemonSecret _secret;
    private readonly UnixEndpoint _unix;
    private readonly HttpEndpoint _http;

    private DaemonHost(DaemonLock held, ProfileRegistry registry, DaemonSecret secret, UnixEndpoint unix, HttpEndpoint http, RpcDispatcher dispatcher)
    {
        _lock = held;
        _registry = registry;
        _secret = secret;
        _unix = unix;
        _http = http;
        Dispatcher = dispatcher;
    }

    /// <summary>The Unix socket's path.</summary>
    public string SocketPath => _unix.Path;

    /// <summary>The TCP port.</summary>
    public int Port => _http.Port;

    /// <summary>The web app's address, with the secret in the fragment (never sent to the server by a browser).</summary>
    public string WebUrl => $"http://127.0.0.1:{Port}/#token={_secret.Reveal()}";

    /// <summary>The profiles served.</summary>
    public IReadOnlyList<string> Profiles => _registry.Profiles;

    /// <summary>The method table (for the documentation test).</summary>
    public RpcDispatcher Dispatcher { get; }

    /// <summary>Starts a daemon.</summary>
    /// <param name="options">What to serve.</param>
    /// <param name="ct">Cancels start-up.</param>
    /// <returns>The running daemon.</returns>
    /// <exception cref="DaemonAlreadyRunningException">When the home's lock is held.</exception>
    public static async Task<DaemonHost> StartAsync(DaemonOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var held = DaemonLock.TryAcquire(DaemonPaths.Lock(options.Home)) ?? throw new DaemonAlreadyRunningException();
        var logger = options.Loggers.CreateLogger("Parley.Daemon");
        var registry = new ProfileRegistry(options.Home, options.Client, options.Only, options.Loggers);
        var secret = new DaemonSecret();
        UnixEndpoint? unix = null;
        try
        {
            registry.StartAll();
            var dispatcher = new RpcDispatcher(options.Loggers.CreateLogger("Parley.Daemon.Api"));
            DaemonHost? host = null;
            DaemonMethods.Register(dispatcher, registry, secret, () => host!.Info());
            unix = UnixEndpoint.Start(DaemonPaths.Socket(options.Home, options.Client.KeyCache), dispatcher, logger);
            var http = await HttpEndpoint.StartAsync(options.Port, secret, dispatcher, options.Loggers, ct).ConfigureAwait(false);
            host = new DaemonHost(held, registry, secret, unix, http, dispatcher);
            Log.Started(logger, registry.Profiles.Count, http.Port);
            return host;
        }
        catch
        {
            if (unix is not null)
            {
                await unix.DisposeAsync().ConfigureAwait(false);
            }

            await registry.DisposeAsync().ConfigureAwait(false);
            secret.Dispose();
            held.Dispose();
            throw;
        }
    }

    /// <summary>Stops serving: endpoints first (no new calls), then the links, then the lock.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        await _http.DisposeAsync().ConfigureAwait(false);
        await _unix.DisposeAsync().ConfigureAwait(false);
        await _registry.DisposeAsync().ConfigureAwait(false);
        _secret.Dispose();
        _lock.Dispose();
    }

    private DaemonInfoResult Info() => new()
    {
        Pid = Environment.ProcessId,
        Port = Port,
        Profiles = Profiles,
        Url = WebUrl,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Parley daemon started: {Profiles} profile(s), API on 127.0.0.1:{Port} and the Unix socket")]
        public static partial void Started(ILogger logger, int profiles, int port);
    }
}
