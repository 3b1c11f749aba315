using Microsoft.Playwright;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Web;

/// <summary>
/// What every browser call test stands on: a private coturn on 127.0.0.1, a server handing out its
/// credentials and registered people (<see cref="StartAsync"/>); then, once the test made them
/// contacts, one daemon and one Chromium context with a fake camera and microphone per person
/// (<see cref="OpenAsync"/>). Disposing stops everything in reverse order.
/// </summary>
internal sealed class CallStage : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _owned = new();
    private readonly Dictionary<string, User> _users = [];
    private readonly Dictionary<string, ILocalDaemon> _daemons = [];
    private readonly Dictionary<string, IPage> _pages = [];
    private Browser? _browser;

    private CallStage(CoturnProcess coturn, World world)
    {
        Coturn = coturn;
        World = world;
    }

    public CoturnProcess Coturn { get; }

    public World World { get; }

    public Browser Browser => _browser ?? throw new InvalidOperationException("Open the pages first.");

    /// <summary>The person registered as <paramref name="name"/>.</summary>
    public User this[string name] => _users[name];

    /// <summary>Starts coturn and the server and registers <paramref name="names"/>.</summary>
    public static async Task<CallStage> StartAsync(params string[] names)
    {
        var coturn = await CoturnProcess.StartAsync();
        World world;
        try
        {
            world = await World.StartAsync(coturn.ServerArguments);
        }
        catch
        {
            await coturn.DisposeAsync();
            throw;
        }

        var stage = new CallStage(coturn, world);
        stage._owned.Push(coturn);
        stage._owned.Push(world);
        try
        {
            foreach (var name in names)
            {
                stage._users[name] = world.NewUser(name);
            }

            await Task.WhenAll(stage._users.Values.Select(u => u.RegisterAsync()));
            return stage;
        }
        catch
        {
            await stage.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts each person's daemon — in this process on the given clock for those in
    /// <paramref name="clocks"/>, as <c>parley daemon</c> otherwise — and opens their web app, connected,
    /// (with <paramref name="holdCallStart"/>) holding each placed call until the test releases it.
    /// </summary>
    public async Task OpenAsync(bool holdCallStart = false, IReadOnlyDictionary<string, TimeProvider>? clocks = null)
    {
        foreach (var (name, user) in _users)
        {
            ILocalDaemon daemon = clocks?.GetValueOrDefault(name) is { } clock
                ? await InProcessDaemon.StartAsync(user.Cli, clock)
                : await DaemonProcess.StartAsync(user.Cli);
            _owned.Push((IAsyncDisposable)daemon);
            _daemons[name] = daemon;
        }

        _browser = await Browser.LaunchAsync(CallPages.MediaArgs);
        _owned.Push(_browser);
        foreach (var name in _users.Keys)
        {
            _pages[name] = await CallPages.OpenAsync(_browser, _daemons[name], holdCallStart);
        }
    }

    public ILocalDaemon Daemon(string name) => _daemons[name];

    public IPage Page(string name) => _pages[name];

    /// <summary>
    /// Runs <paramref name="steps"/>; when one fails, the failure also tells what each page showed and
    /// its call state (<see cref="CallPages.ExplainingAsync"/>).
    /// </summary>
    public Task ExplainingAsync(Func<Task> steps) =>
        CallPages.ExplainingAsync(Browser, [.. _pages.Select(p => (p.Key, p.Value))], steps);

    public async ValueTask DisposeAsync()
    {
        while (_owned.TryPop(out var owned))
        {
            await owned.DisposeAsync();
        }
    }
}
