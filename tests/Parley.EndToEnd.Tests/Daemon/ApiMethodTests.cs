using System.Text.Json.Nodes;
using Parley.Daemon.Api;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>Every API method, called over the Unix socket and over the WebSocket, against a real server.</summary>
public sealed class ApiMethodTests
{
    [Theory]
    [InlineData("unix")]
    [InlineData("websocket")]
    public async Task Every_method_works_over_the_transport(string transport)
    {
        await using var w = await DaemonWorld.StartAsync();
        await using RpcConnection api = transport == "unix" ? await w.UnixAsync() : await w.WebSocketAsync();
        var called = new HashSet<string>(StringComparer.Ordinal);
        async Task<JsonNode> Ok(string method, object? p = null)
        {
            called.Add(method);
            return await api.OkAsync(method, p);
        }

        async Task<JsonNode> ConversationWithAliceAsync()
        {
            var list = await Ok("conversations");
            Assert.True(list["onlineKnown"]!.GetValue<bool>());
            return list["conversations"]!.AsArray().Single(c => c!["user"]!.GetValue<string>() == "alice")!;
        }

        var info = await Ok("daemon.info");
        Assert.Equal(["bob"], info["profiles"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(transport == "unix", info["url"] is not null);
        var token = w.Daemon!.Token;
        await Ok("auth", new { token });
        Assert.Equal("bob", (await Ok("whoami"))["user"]!.GetValue<string>());
        await Ok("subscribe", new { profile = "bob" });

        // Live delivery: alice's message is an event and in history, no receive needed.
        await w.Alice.SendAsync(w.Bob, "hello bob over " + transport);
        var arrived = await api.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "message" && e["from"]?.GetValue<string>() == "alice");
        Assert.Equal("hello bob over " + transport, arrived["text"]!.GetValue<string>());
        var unread = await ConversationWithAliceAsync();
        Assert.Equal("hello bob over " + transport, unread["preview"]!.GetValue<string>());
        Assert.Equal("in", unread["previewDirection"]!.GetValue<string>());
        Assert.Equal(arrived["sentAt"]!.GetValue<string>(), unread["lastActivity"]!.GetValue<string>());
        Assert.True(unread["unread"]!.GetValue<int>() >= 1);
        Assert.Equal("contact", unread["state"]!.GetValue<string>());
        var history = (await Ok("history", new { user = "alice", limit = 10 }))["messages"]!.AsArray();
        Assert.Contains(history, m => m!["text"]!.GetValue<string>() == "hello bob over " + transport);
        Assert.Equal(0, (await ConversationWithAliceAsync())["unread"]!.GetValue<int>()); // shown by history: read

        var sent = await Ok("send", new { to = "alice", text = "hi alice, from the API" });
        Assert.Matches("^[0-9a-f]{32}$", sent["id"]!.GetValue<string>());
        await Ok("typing", new { to = "alice", typing = true });
        Assert.True((await Ok("receive", new { wait = 0 }))["count"]!.GetValue<int>() >= 0);
        var contacts = (await Ok("contacts.list"))["contacts"]!.AsArray();
        Assert.Equal("contact", contacts.Single(c => c!["user"]!.GetValue<string>() == "alice")!["state"]!.GetValue<string>());
        var status = await Ok("status");
        Assert.True(status["connected"]!.GetValue<bool>());
        Assert.False((await Ok("settings"))["notificationPreviews"]!.GetValue<bool>()); // WebNotificationTests covers the page
        Assert.True((await Ok("settings", new { notificationPreviews = true }))["notificationPreviews"]!.GetValue<bool>());
        Assert.True((await Ok("settings"))["notificationPreviews"]!.GetValue<bool>());
        Assert.Equal(0, status["pendingOutgoing"]!.GetValue<int>());
        Assert.NotNull((await Ok("online"))["online"]);
        Assert.Matches("^([0-9]{5} ){11}[0-9]{5}$", (await Ok("verify", new { user = "alice" }))["safetyNumber"]!.GetValue<string>());
        Assert.False((await Ok("trust", new { user = "alice" }))["changed"]!.GetValue<bool>());

        // Files both ways: alice (CLI) sends one, the daemon downloads it; the daemon sends one.
        var dir = Path.Combine(w.World.Root, "files-" + transport);
        Directory.CreateDirectory(dir);
        var photo = Path.Combine(dir, "photo.bin");
        await File.WriteAllBytesAsync(photo, Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray());
        var fileId = Assert.Single((await w.Alice.OkAsync("file", "send", "bob", photo, "--json")).JsonLines).GetProperty("id").GetString()!;
        await api.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "message" && e["id"]?.GetValue<string>() == fileId);
        var outDir = Path.Combine(dir, "out");
        var saved = (await Ok("files.get", new { id = fileId, @out = outDir }))["path"]!.GetValue<string>();
        Assert.Equal(await File.ReadAllBytesAsync(photo), await File.ReadAllBytesAsync(saved));
        var fileSent = await Ok("files.send", new { to = "alice", path = photo });
        Assert.Equal(70_000, fileSent["size"]!.GetValue<long>());
        Assert.Equal("photo.bin", fileSent["name"]!.GetValue<string>());
        var cancel = await api.CallAsync("files.cancel", new { transfer = "none-running" }); // StagingTests cancels for real in the browser's path
        Assert.Equal(-32602, cancel["error"]!["code"]!.GetValue<int>());
        called.Add("files.cancel");

        // Calls (CallApiTests runs whole calls): this world's server has no TURN relay; bob rings alice and cancels.
        async Task<string> Refused(string method, object p)
        {
            called.Add(method);
            return (await api.CallAsync(method, p))["error"]!["data"]!["kind"]!.GetValue<string>();
        }

        Assert.Equal("callsNotConfigured", await Refused("calls.turn", new { }));
        var fp = "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32));
        var sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:" + fp + "\r\na=mid:0\r\n";
        var call = (await Ok("calls.start", new { to = "alice", media = "audio", sdp }))["call"]!["id"]!.GetValue<string>();
        Assert.Equal(call, (await Ok("calls.current"))["call"]!["id"]!.GetValue<string>());
        Assert.True((await Ok("calls.signal", new { call, kind = "candidates", candidates = new[] { new { candidate = "candidate:1 1 udp 1 127.0.0.1 5 typ relay" } } }))["ok"]!.GetValue<bool>());
        Assert.Equal("noSuchCall", await Refused("calls.accept", new { call, sdp }));
        Assert.Equal("noSuchCall", await Refused("calls.decline", new { call }));
        await Ok("calls.hangup", new { call });
        Assert.True((await Ok("disconnect", new { user = "alice" }))["ended"]!.GetValue<bool>()); // DisconnectTests covers it; every method is called here

        // A second profile registered through the daemon: contact requests, answers, blocks, logout/login, deletion.
        var carol = new { user = "carol", server = w.World.Server.Url, password = "ribbon-saxophone-carol-tundra-74", trustServer = w.World.Server.Fingerprint };
        var firstUse = await Ok("server.probe", new { server = w.World.Server.Url, user = "carol" }); // WebFirstRunTests covers the page
        Assert.Equal(w.World.Server.Fingerprint, firstUse["fingerprint"]!.GetValue<string>(), ignoreCase: true);
        Assert.Null(firstUse["pinned"]);
        Assert.False(firstUse["changed"]!.GetValue<bool>());
        var pinned = await Ok("server.probe", new { server = w.World.Server.Url, user = "bob" });
        Assert.Equal(pinned["fingerprint"]!.GetValue<string>(), pinned["pinned"]!.GetValue<string>());
        Assert.True((await Ok("register", carol))["loggedIn"]!.GetValue<bool>());
        await Ok("contacts.request", new { profile = "carol", user = "bob", note = "hello" });
        await api.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "contact-request" && e["profile"]?.GetValue<string>() == "bob");
        var first = (await Ok("conversations", new { profile = "bob" }))["conversations"]!.AsArray()[0]!; // incoming requests on top
        Assert.Equal(("carol", "request received", "hello"), (first["user"]!.GetValue<string>(), first["state"]!.GetValue<string>(), first["note"]!.GetValue<string>()));
        Assert.Equal("declined", (await Ok("contacts.decline", new { profile = "bob", user = "carol" }))["result"]!.GetValue<string>());
        await Ok("contacts.request", new { profile = "carol", user = "bob" });
        await api.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "contact-request" && e["user"]?.GetValue<string>() == "carol" && e["note"] is null);
        Assert.Equal("accepted", (await Ok("contacts.accept", new { profile = "bob", user = "carol" }))["result"]!.GetValue<string>());
        Assert.Equal("removed", (await Ok("contacts.remove", new { profile = "bob", user = "carol" }))["result"]!.GetValue<string>());
        Assert.Equal("blocked", (await Ok("block", new { profile = "carol", user = "alice" }))["result"]!.GetValue<string>());
        Assert.Equal("unblocked", (await Ok("unblock", new { profile = "carol", user = "alice" }))["result"]!.GetValue<string>());
        Assert.False((await Ok("logout", new { profile = "carol" }))["loggedIn"]!.GetValue<bool>());
        var notServed = await api.CallAsync("whoami", new { profile = "carol" });
        Assert.Equal("notLoggedIn", notServed["error"]!["data"]!["kind"]!.GetValue<string>());
        Assert.True((await Ok("login", carol))["loggedIn"]!.GetValue<bool>());
        const string newPassword = "lantern-glacier-carol-harbour-58";
        Assert.True((await Ok("account.password", new { profile = "carol", password = carol.password, newPassword }))["passwordChanged"]!.GetValue<bool>());
        Assert.True((await Ok("account.delete", new { profile = "carol", password = newPassword }))["deleted"]!.GetValue<bool>());
        await Ok("unsubscribe");
        Assert.DoesNotContain("hello bob over", w.Daemon.Output, StringComparison.Ordinal); // the preview is in results only, never logged

        Assert.Equal(ApiMethods.All.Order(), called.Order());
    }
}
