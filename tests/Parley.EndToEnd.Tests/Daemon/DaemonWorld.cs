using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>Alice (CLI on her own) and Bob (with a daemon) as contacts on a fresh server.</summary>
internal sealed class DaemonWorld : IAsyncDisposable
{
    private DaemonWorld(World world, User alice, User bob)
    {
        World = world;
        Alice = alice;
        Bob = bob;
    }

    public World World { get; }

    public User Alice { get; }

    public User Bob { get; }

    public DaemonProcess? Daemon { get; private set; }

    public static async Task<DaemonWorld> StartAsync(bool befriend = true)
    {
        var world = await World.StartAsync();
        var result = new DaemonWorld(world, world.NewUser("alice"), world.NewUser("bob"));
        try
        {
            await Task.WhenAll(result.Alice.RegisterAsync(), result.Bob.RegisterAsync());
            if (befriend)
            {
                await User.BefriendAsync(result.Alice, result.Bob);
            }

            result.Daemon = await DaemonProcess.StartAsync(result.Bob.Cli);
            return result;
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
    }

    public async Task<DaemonProcess> RestartDaemonAsync()
    {
        Daemon = await DaemonProcess.StartAsync(Bob.Cli);
        return Daemon;
    }

    public Task<UnixRpc> UnixAsync() => UnixRpc.ConnectAsync(Daemon!.SocketPath);

    public Task<WebSocketRpc> WebSocketAsync() => WebSocketRpc.ConnectAsync(Daemon!.Port, Daemon.Token);

    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        await World.DisposeAsync();
    }
}
