using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.CommandLine;

/// <summary>What commands print: words for people, unescaped JSON for scripts, no wrapping into pipes.</summary>
public sealed class OutputTests
{
    [Fact]
    public async Task Options_after_double_dash_are_text_and_send_says_what_happened()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");

        var refused = await alice.RunAsync("send", "bob", "hi", "--foo");
        Assert.Equal(2, refused.ExitCode);
        var sent = await alice.Cli.RunAsync(null, "--as", "alice", "send", "bob", "--", "hi", "--foo");
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Equal("sent to bob", sent.Stdout.Trim());
        Assert.Equal(["hi --foo"], User.Texts(await bob.ReceiveAsync()));

        var json = Assert.Single((await alice.OkAsync("send", "bob", "--json", "ok")).JsonLines);
        Assert.Equal("sent", json.GetProperty("status").GetString());
        Assert.Equal("bob", json.GetProperty("to").GetString());
        Assert.True(Guid.TryParse(json.GetProperty("id").GetString(), out _));

        await world.Server.StopAsync();
        var queued = await alice.RunAsync("send", "bob", "while the server is down");
        Assert.Equal(3, queued.ExitCode);
        Assert.Equal("queued: the server is unreachable", queued.Stdout.Trim());
        var file = Path.Combine(world.Root, "note.txt");
        await File.WriteAllTextAsync(file, "a small file");
        var fileDown = await alice.RunAsync("file", "send", "bob", file);
        Assert.True(fileDown.ExitCode == 3, fileDown.ToString());
        Assert.Contains("cannot be reached", fileDown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_prints_characters_as_themselves_and_redirected_text_is_never_wrapped()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        const string text = "1+1 <b>&</b> 'quoted' \"double\" é 漢字 😀";
        var longText = string.Join(' ', Enumerable.Range(0, 60).Select(i => "word" + i));
        await alice.SendAsync(bob, text);
        await alice.SendAsync(bob, longText);

        var raw = await bob.OkAsync("receive", "--json");
        Assert.Contains("1+1 <b>&</b> 'quoted' \\\"double\\\" é 漢字 😀", raw.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", raw.Stdout, StringComparison.Ordinal);
        Assert.Equal([text, longText], User.Texts(raw.JsonLines));

        var history = await bob.OkAsync("history", "alice");
        Assert.Contains(history.Stdout.Split('\n'), line => line.EndsWith(longText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_gives_a_file_message_structured_fields_and_never_its_key()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        var source = Path.Combine(world.Root, "report 1.pdf");
        await File.WriteAllBytesAsync(source, new byte[1500]);
        var id = Assert.Single((await alice.OkAsync("file", "send", "bob", source, "--json")).JsonLines).GetProperty("id").GetString()!;
        await alice.SendAsync(bob, "and a text");

        var received = (await bob.OkAsync("receive", "--json")).JsonLines.Where(e => e.GetProperty("type").GetString() == "message").ToList();
        Assert.Equal(2, received.Count);
        var file = received[0].GetProperty("file");
        Assert.Equal(id, received[0].GetProperty("id").GetString());
        Assert.Equal("report 1.pdf", file.GetProperty("name").GetString());
        Assert.Equal(1500, file.GetProperty("size").GetInt64());
        Assert.Equal("application/octet-stream", file.GetProperty("type").GetString());
        Assert.Matches("^[0-9a-f]{16,}$", file.GetProperty("id").GetString()!);
        Assert.False(received[1].TryGetProperty("file", out _));

        foreach (var (user, peer) in new[] { (alice, "bob"), (bob, "alice") })
        {
            var history = await user.OkAsync("history", peer, "--json");
            var stored = Assert.Single(history.JsonLines, m => m.GetProperty("id").GetString() == id);
            Assert.Equal(file.GetProperty("id").GetString(), stored.GetProperty("file").GetProperty("id").GetString());
            Assert.DoesNotContain("\"key\"", history.Stdout, StringComparison.Ordinal);
        }
    }
}
