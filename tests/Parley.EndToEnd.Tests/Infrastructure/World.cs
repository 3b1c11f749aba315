namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One test's world: a fresh server with its own data directory and users with their own homes.
/// Everything is stopped and deleted on dispose.
/// </summary>
internal sealed class World : IAsyncDisposable
{
    private readonly TempDirectory _root = new("parley-e2e");
    private int _users;

    private World(ServerProcess server) => Server = server;

    public ServerProcess Server { get; private set; }

    public string Root => _root.Path;

    /// <summary>Starts a world; <paramref name="serverArguments"/> override the server's test defaults (a later value wins).</summary>
    public static async Task<World> StartAsync(params string[] serverArguments)
    {
        var world = new World(null!);
        world.Server = await ServerProcess.LaunchAsync(world._root.Sub("server-data"), serverArguments).ConfigureAwait(false);
        return world;
    }

    /// <summary>A user with a home of their own (names are made unique per world).</summary>
    public User NewUser(string name)
    {
        var n = Interlocked.Increment(ref _users);
        var home = _root.Sub($"home-{n}-{name}");
        return new User(name, new Cli(home, _root.Sub($"run-{n}")), Server, name);
    }

    /// <summary>A user whose client talks to the server through <paramref name="url"/>, pinning <paramref name="fingerprint"/> (a proxy).</summary>
    public User NewUserVia(string name, string url, string fingerprint)
    {
        var n = Interlocked.Increment(ref _users);
        return new User(name, new Cli(_root.Sub($"home-{n}-{name}"), _root.Sub($"run-{n}")), Server, name, (url, fingerprint));
    }

    /// <summary>A second user in the same home (and runtime directory) as <paramref name="first"/>.</summary>
    public static User SameHome(User first, string name) => new(name, first.Cli, first.Server, name);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        _root.Dispose();
    }
}
