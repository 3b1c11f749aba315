using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>
/// Issue 14, item 6: after a realistic session — register, befriend, chat both ways, send and fetch
/// a file, log in again — every file the client wrote in its home and runtime directory is 0600
/// (the SQLite store and its -wal/-shm/-journal companions included) and every directory 0700.
/// </summary>
public sealed class FileModeTests
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task Every_file_in_the_client_homes_is_0600_and_every_directory_0700_after_a_realistic_session()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        await alice.RegisterAsync();
        await bob.RegisterAsync();
        await User.BefriendAsync(alice, bob);
        await alice.SendAsync(bob, "hello bob");
        await bob.ReceiveAsync();
        await bob.SendAsync(alice, "hello alice");
        await alice.ReceiveAsync();
        var source = Path.Combine(world.Root, "notes.txt");
        await File.WriteAllTextAsync(source, "a small file");
        var sent = await alice.OkAsync("file", "send", "bob", source, "--json");
        var id = Assert.Single(sent.JsonLines).GetProperty("id").GetString()!;
        await bob.ReceiveAsync();
        await bob.OkAsync("file", "get", id, "--out", Path.Combine(world.Root, "bob-downloads"), "--json");
        var again = await alice.LoginAsync();
        Assert.True(again.ExitCode == 0, again.ToString());

        var places = new[] { alice.Cli.Home, bob.Cli.Home, alice.Cli.RuntimeDirectory, bob.Cli.RuntimeDirectory }.Where(Directory.Exists).ToList();
        var files = places.SelectMany(p => Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)).ToList();
        Assert.Contains(files, f => f.EndsWith("store.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("device.cookie", StringComparison.Ordinal));
        var wrong = files.Where(f => File.GetUnixFileMode(f) != PrivateFile).Select(f => $"{f}: {File.GetUnixFileMode(f)}")
            .Concat(places.SelectMany(p => Directory.EnumerateDirectories(p, "*", SearchOption.AllDirectories).Append(p))
                .Where(d => File.GetUnixFileMode(d) != PrivateDirectory).Select(d => $"{d}/: {File.GetUnixFileMode(d)}"))
            .ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }
}
