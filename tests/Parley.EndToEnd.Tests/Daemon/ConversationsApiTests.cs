using Parley.Daemon.Api;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>The <c>conversations</c> preview: one line, whole at its limit, cut with an ellipsis one past it; a file by its name.</summary>
public sealed class ConversationsApiTests
{
    [Fact]
    public async Task The_preview_is_one_line_whole_at_the_limit_and_cut_one_past_it()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var api = await w.UnixAsync();
        var atLimit = new string('a', ApiLimits.MaxPreviewLength);
        await api.OkAsync("send", new { to = "alice", text = atLimit });
        Assert.Equal(atLimit, await PreviewAsync(api));

        await api.OkAsync("send", new { to = "alice", text = atLimit + "b" });
        var cut = await PreviewAsync(api);
        Assert.Equal(ApiLimits.MaxPreviewLength, cut.Length);
        Assert.Equal(new string('a', ApiLimits.MaxPreviewLength - 1) + "…", cut);

        await api.OkAsync("send", new { to = "alice", text = "two\n\n  lines\tof text " });
        Assert.Equal("two lines of text", await PreviewAsync(api));

        var path = Path.Combine(w.World.Root, "holiday plan.txt");
        await File.WriteAllTextAsync(path, "sea, sand");
        await api.OkAsync("files.send", new { to = "alice", path });
        Assert.Equal("File: holiday plan.txt", await PreviewAsync(api)); // the name, never the stored pointer with its key
    }

    private static async Task<string> PreviewAsync(RpcConnection api)
    {
        var list = (await api.OkAsync("conversations"))["conversations"]!.AsArray();
        var alice = list.Single(c => c!["user"]!.GetValue<string>() == "alice")!;
        Assert.Equal("out", alice["previewDirection"]!.GetValue<string>());
        return alice["preview"]!.GetValue<string>();
    }
}
