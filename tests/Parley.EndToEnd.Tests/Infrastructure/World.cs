namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One test's world: a fresh server with its own data directory and users with their own homes.
/// Everything is stopped and deleted on dispose.
/// </summary>
internal sealed class World : IAsyncDisposable
{
    private readonly TempDirectory _root = new("parley-e2e");
    private readonly Dictionary<string, Daemon.DaemonProcess> _daemons = new(StringComparer.Ordinal);
    private int _users;

    private World(ServerProcess server, bool daemons)
    {
        Server = server;
        WithDaemons = daemons;
    }

    /// <summary>Whether every home runs a <c>parley daemon</c> once its first user registered (the CLI then goes through it).</summary>
    public bool WithDaemons { get; }

    public ServerProcess Server { get; private set; }

    public string Root => _root.Path;

    /// <summary>Starts a world; <paramref name="serverArguments"/> override the server's test defaults (a later value wins).</summary>
    public static Task<World> StartAsync(params string[] serverArguments) => StartAsync(false, serverArguments);

    /// <summary>Starts a world whose users act through a daemon per home when <paramref name="daemons"/> is set.</summary>
    public static Task<World> StartAsync(bool daemons) => StartAsync(daemons, []);

    private static async Task<World> StartAsync(bool daemons, string[] serverArguments)
    {
        var world = new World(null!, daemons);
        world.Server = await ServerProcess.LaunchAsync(world._root.Sub("server-data"), serverArguments).ConfigureAwait(false);
        return world;
    }

    /// <summary>A user with a home of their own (names are made unique per world).</summary>
    public User NewUser(string name)
    {
        var n = Interlocked.Increment(ref _users);
        var home = _root.Sub($"home-{n}-{name}");
        return new User(name, new Cli(home, _root.Sub($"run-{n}")), Server, name, world: this);
    }

    /// <summary>Starts the home's daemon if this world runs daemons and it is not running yet.</summary>
    public async Task EnsureDaemonAsync(Cli cli)
    {
        if (!WithDaemons || _daemons.ContainsKey(cli.Home))
        {
            return;
        }

        _daemons[cli.Home] = await Daemon.DaemonProcess.StartAsync(cli);
    }

    /// <summary>Two new users, registered, who are each other's contacts (the start of most scenarios).</summary>
    public async Task<(User First, User Second)> NewFriendsAsync(string first, string second)
    {
        var a = NewUser(first);
        var b = NewUser(second);
        await a.RegisterAsync();
        await b.RegisterAsync();
        await User.BefriendAsync(a, b);
        return (a, b);
    }

    /// <summary>A user whose client talks to the server through <paramref name="url"/>, pinning <paramref name="fingerprint"/> (a proxy).</summary>
    public User NewUserVia(string name, string url, string fingerprint)
    {
        var n = Interlocked.Increment(ref _users);
        return new User(name, new Cli(_root.Sub($"home-{n}-{name}"), _root.Sub($"run-{n}")), Server, name, (url, fingerprint));
    }

    /// <summary>A second user in the same home (and runtime directory) as <paramref name="first"/>.</summary>
    public static User SameHome(User first, string name) => new(name, first.Cli, first.Server, name, world: first.World);

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons.Values)
        {
            await daemon.DisposeAsync();
        }

        await Server.DisposeAsync().ConfigureAwait(false);
        _root.Dispose();
    }
}
