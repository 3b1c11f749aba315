using System.Security.Cryptography;
using System.Text.Json;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Files;

/// <summary>
/// <c>parley file send</c> and <c>parley file get</c> through the real server process and the real
/// executable: a 200 MiB file goes from Alice to Bob, Bob's receive and history show a file line
/// (never the pointer or its key), and the saved file is byte-identical.
/// </summary>
public sealed class CliFileTests
{
    private const long Size = 200L * 1024 * 1024;

    [Fact]
    public async Task A_200_MiB_file_goes_from_alice_to_bob_through_the_cli()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        string source = Path.Combine(world.Root, "holiday video.mp4");
        byte[] digest = WriteRandomFile(source, Size);

        var sent = await alice.OkAsync("file", "send", "bob", source, "--json");
        string id = Assert.Single(sent.JsonLines).GetProperty("id").GetString()!;

        var events = await bob.ReceiveAsync();
        var message = Assert.Single(events, e => e.GetProperty("type").GetString() == "message");
        Assert.Equal(id, message.GetProperty("id").GetString());
        string line = message.GetProperty("text").GetString()!;
        Assert.Equal($"[file] holiday video.mp4 (200.0 MiB) — fetch with: parley file get {id}", line);

        string inbox = Path.Combine(world.Root, "bob-downloads");
        var got = await bob.OkAsync("file", "get", id, "--out", inbox, "--json");
        string saved = Assert.Single(got.JsonLines).GetProperty("path").GetString()!;
        Assert.Equal(Path.Combine(inbox, "holiday video.mp4"), saved);
        Assert.Equal(digest, HashFile(saved));
        Assert.Single(Directory.GetFileSystemEntries(inbox));

        foreach (var (user, peer) in new[] { (alice, "bob"), (bob, "alice") })
        {
            var history = (await user.OkAsync("history", peer, "--json")).JsonLines;
            var file = Assert.Single(history, m => m.GetProperty("id").GetString() == id);
            Assert.StartsWith("[file] holiday video.mp4", file.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("\"key\"", string.Join('\n', history.Select(h => h.GetRawText())), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_send_killed_midway_resumes_the_same_upload_when_run_again()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        string source = Path.Combine(world.Root, "backup.tar");
        byte[] digest = WriteRandomFile(source, 256L * 1024 * 1024);
        string blobs = Path.Combine(world.Server.DataDirectory, "blobs");

        using (var first = StartCli(alice, "file", "send", "bob", source))
        {
            // Kill the client once the server has stored a good part of the file (and before the end).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (PartialBytes(blobs) < 48L * 1024 * 1024)
            {
                Assert.True(DateTime.UtcNow < deadline && !first.HasExited, "the upload never got going");
                await Task.Delay(20);
            }

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync().WaitAsync(TestTimeouts.Command);
        }

        var again = await alice.OkAsync("file", "send", "bob", source, "--json");
        string id = Assert.Single(again.JsonLines).GetProperty("id").GetString()!;
        var stored = Directory.GetFiles(blobs, "*", SearchOption.AllDirectories);
        Assert.Single(stored);
        Assert.DoesNotContain(".part", stored[0], StringComparison.Ordinal);

        await bob.ReceiveAsync();
        var got = await bob.OkAsync("file", "get", id, "--out", Path.Combine(world.Root, "in"), "--json");
        Assert.Equal(digest, HashFile(Assert.Single(got.JsonLines).GetProperty("path").GetString()!));
    }

    [Fact]
    public async Task Getting_an_unknown_id_and_sending_a_missing_file_fail_with_one_sentence()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        await alice.RegisterAsync();
        var missing = await alice.RunAsync("file", "send", "bob", Path.Combine(world.Root, "nope.bin"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"There is no file '{Path.Combine(world.Root, "nope.bin")}'", missing.Stderr, StringComparison.Ordinal);
        var directory = await alice.RunAsync("file", "send", "bob", world.Root);
        Assert.Equal(1, directory.ExitCode);
        Assert.Contains($"'{world.Root}' is a directory", directory.Stderr, StringComparison.Ordinal);
        var unknown = await alice.RunAsync("file", "get", "0123456789abcdef0123456789abcdef");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("No received file has that message id", unknown.Stderr, StringComparison.Ordinal);
    }

    private static long PartialBytes(string blobs) => !Directory.Exists(blobs) ? 0
        : Directory.GetFiles(blobs, "*.part", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>Starts the real executable as <paramref name="user"/> without waiting for it (to kill it midway).</summary>
    private static System.Diagnostics.Process StartCli(User user, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "parley.dll"));
        start.ArgumentList.Add("--home");
        start.ArgumentList.Add(user.Cli.Home);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PARLEY_RUNTIME_DIR"] = user.Cli.RuntimeDirectory;
        start.Environment["PARLEY_HOME"] = null;
        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("parley did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static byte[] WriteRandomFile(string path, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        byte[] block = new byte[1 << 20];
        for (long written = 0; written < size; written += block.Length)
        {
            RandomNumberGenerator.Fill(block);
            file.Write(block);
            hash.AppendData(block);
        }

        return hash.GetHashAndReset();
    }

    private static byte[] HashFile(string path)
    {
        using var file = File.OpenRead(path);
        return SHA256.HashData(file);
    }
}
