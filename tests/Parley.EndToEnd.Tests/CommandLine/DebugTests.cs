using System.Text.Json;
using Parley.EndToEnd.Tests.Daemon;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.CommandLine;

/// <summary><c>--debug</c>: every frame and request as JSON lines on stderr, redacted unless plaintext is asked for.</summary>
public sealed class DebugTests
{
    [Fact]
    public async Task Debug_prints_the_frames_redacted_and_debug_plaintext_adds_the_decrypted_content()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");

        // Without plaintext: the Send frame is there, with its ciphertext as a length; no text, no token.
        var sent = await alice.OkAsync("send", "bob", "meet at the old mill", "--debug");
        var lines = JsonLines(sent.Stderr);
        Assert.Contains(lines, l => l.TryGetProperty("relay", out var r) && r.TryGetProperty("send", out var s)
            && s.GetProperty("recipient").GetString() == "bob" && s.GetProperty("ciphertext").GetString()!.EndsWith(" bytes>", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TryGetProperty("http", out _));
        Assert.DoesNotContain("old mill", sent.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.Password, sent.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", sent.Stderr, StringComparison.Ordinal);
        Assert.Equal("meet at the old mill", Assert.Single(User.Texts(await bob.ReceiveAsync())));

        // --debug=plaintext (anywhere before --) also shows what was decrypted; the message text is still
        // the command's argument, not swallowed by the option.
        await alice.OkAsync("send", "--debug=plaintext", "bob", "second");
        var debugReceive = await bob.OkAsync("receive", "--debug=plaintext");
        var contents = JsonLines(debugReceive.Stderr).Where(l => l.TryGetProperty("content", out _)).ToList();
        Assert.Contains(contents, l => l.GetProperty("dir").GetString() == "in" && l.GetProperty("peer").GetString() == "alice"
            && l.GetProperty("content").GetString()!.Contains("\"second\"", StringComparison.Ordinal));

        // With a daemon serving the command: the API calls, and where the frames are.
        await using var daemon = await DaemonProcess.StartAsync(alice.Cli, "--debug");
        var viaDaemon = await alice.OkAsync("--debug", "send", "bob", "third");
        var rpc = JsonLines(viaDaemon.Stderr);
        Assert.Contains(rpc, l => l.TryGetProperty("note", out var n) && n.GetString()!.Contains("parley daemon --debug", StringComparison.Ordinal));
        Assert.Contains(rpc, l => l.TryGetProperty("rpc", out var m) && m.GetString() == "send" && l.GetProperty("outcome").GetString() == "result");
        Assert.DoesNotContain("third", viaDaemon.Stderr, StringComparison.Ordinal);
        await daemon.WaitForOutputAsync(output => output.Contains("\"send\":{", StringComparison.Ordinal) && output.Contains("\"recipient\":\"bob\"", StringComparison.Ordinal));
        Assert.DoesNotContain("third", daemon.Output, StringComparison.Ordinal);

        // Anything else after --debug= is a usage error.
        var wrong = await alice.RunAsync("send", "--debug=verbose", "bob", "x");
        Assert.Equal(2, wrong.ExitCode);
    }

    private static List<JsonElement> JsonLines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
