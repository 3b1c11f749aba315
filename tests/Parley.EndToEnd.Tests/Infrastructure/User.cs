using System.Text.Json;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>A person at a terminal: a name, a password, a home directory and the <c>parley</c> command.</summary>
internal sealed class User
{
    public User(string name, Cli cli, ServerProcess server, string? profile = null, (string Url, string Fingerprint)? via = null, World? world = null)
    {
        Name = name;
        Cli = cli;
        Server = server;
        Profile = profile;
        (ServerUrl, ServerFingerprint) = via ?? (server.Url, server.Fingerprint);
        World = world;
    }

    /// <summary>The world the user lives in (starts the home's daemon after registration when it runs daemons).</summary>
    public World? World { get; }

    public string Name { get; }

    public string Password => "ribbon-saxophone-" + Name + "-tundra-74";

    public Cli Cli { get; }

    public ServerProcess Server { get; }

    /// <summary>Where this user's client connects and which certificate it pins: the server, or a proxy in front of it.</summary>
    public string ServerUrl { get; }

    /// <summary>The fingerprint this user's client pins.</summary>
    public string ServerFingerprint { get; }

    /// <summary>When several users share a home: the <c>--as</c> profile to act as.</summary>
    public string? Profile { get; }

    /// <summary>Registers; a failure's message carries <paramref name="diagnostics"/> (say, what a proxy in between saw).</summary>
    public async Task RegisterAsync(Func<string>? diagnostics = null)
    {
        var started = DateTime.UtcNow;
        var result = await Cli.RunAsync(Password + "\n", "register", Name, "--server", ServerUrl, "--password-stdin", "--trust-server", ServerFingerprint);
        Assert.True(result.ExitCode == 0, $"register ({started:HH:mm:ss.fff} to {DateTime.UtcNow:HH:mm:ss.fff}) failed: {result}\n{diagnostics?.Invoke()}");
        if (World is not null)
        {
            await World.EnsureDaemonAsync(Cli);
        }
    }

    public Task<CliResult> LoginAsync(string? password = null) =>
        Cli.RunAsync((password ?? Password) + "\n", "login", Name, "--server", ServerUrl, "--password-stdin", "--trust-server", ServerFingerprint, "--replace-identity");

    public Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(null, WithProfile(args));

    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => Cli.RunAsync(stdin, WithProfile(args));

    /// <summary>Runs a command that must succeed.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"'{string.Join(' ', args)}' as {Name} failed: {result}");
        return result;
    }

    /// <summary>Sends a message and returns its id.</summary>
    public async Task<string> SendAsync(User to, string text)
    {
        var result = await OkAsync("send", to.Name, text, "--json");
        return Assert.Single(result.JsonLines).GetProperty("id").GetString()!;
    }

    /// <summary>Receives everything waiting and returns the JSON events.</summary>
    public async Task<IReadOnlyList<JsonElement>> ReceiveAsync(int waitSeconds = 0)
    {
        var result = await OkAsync("receive", "--json", "--wait", waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return result.JsonLines;
    }

    /// <summary>The texts of the messages in a receive result.</summary>
    public static IReadOnlyList<string> Texts(IEnumerable<JsonElement> events) =>
        events.Where(e => e.TryGetProperty("type", out var t) && t.GetString() == "message").Select(e => e.GetProperty("text").GetString()!).ToList();

    /// <summary>Makes two users contacts: a request, received and accepted.</summary>
    public static async Task BefriendAsync(User a, User b)
    {
        await a.OkAsync("contacts", "request", b.Name, "--note", "hi, it's " + a.Name);
        var events = await b.ReceiveAsync();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "contact-request" && e.GetProperty("user").GetString() == a.Name);
        await b.OkAsync("contacts", "accept", a.Name);
        var accepted = await a.ReceiveAsync();
        Assert.Contains(accepted, e => e.GetProperty("type").GetString() == "contact-accepted" && e.GetProperty("user").GetString() == b.Name);
    }

    private string[] WithProfile(string[] args) => Profile is null ? args : [.. args, "--as", Profile];
}
