using System.Text.Json.Nodes;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>The <c>history</c> method pages backwards by a stable cursor (the web app's scroll-back).</summary>
public sealed class HistoryPagingTests
{
    [Fact]
    public async Task Pages_by_the_before_cursor_reach_the_start_and_new_messages_do_not_shift_them()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var api = await w.WebSocketAsync();
        for (var i = 0; i < 5; i++)
        {
            await api.OkAsync("send", new { to = "alice", text = "page test " + i });
        }

        var newest = await api.OkAsync("history", new { user = "alice", limit = 2 });
        Assert.Equal(["page test 3", "page test 4"], Texts(newest));
        var cursor = newest["before"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", cursor);

        await api.OkAsync("send", new { to = "alice", text = "arrived meanwhile" });
        var middle = await api.OkAsync("history", new { user = "alice", limit = 2, before = cursor });
        Assert.Equal(["page test 1", "page test 2"], Texts(middle));
        var first = await api.OkAsync("history", new { user = "alice", limit = 2, before = middle["before"]!.GetValue<string>() });
        Assert.Equal(["page test 0"], Texts(first));
        Assert.Null(first["before"]);
    }

    private static List<string> Texts(JsonNode result) =>
        result["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()).ToList();
}
