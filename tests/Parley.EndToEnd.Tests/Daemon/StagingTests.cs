using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>
/// The web app's file path through the daemon, without a browser: staging an upload over HTTP,
/// sending it with a named transfer whose progress events carry the name, downloading without
/// <c>out</c> into the staging area and fetching the verified file once; and every bad request
/// refused with nothing staged.
/// </summary>
public sealed class StagingTests
{
    [Fact]
    public async Task A_staged_upload_is_sent_under_its_transfer_name_and_a_staged_download_is_handed_over_once()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var api = await w.WebSocketAsync();
        await api.OkAsync("subscribe");
        using var http = Http(w);
        var content = RandomNumberGenerator.GetBytes(300_000);

        // Bob's page stages a file (the name is made safe) and sends it; its progress carries the transfer name.
        var staged = await StageAsync(http, w, "to=alice&name=..%2F..%2Freport%20final.pdf&modified=1764500000000", content);
        Assert.Equal(HttpStatusCode.OK, staged.Status);
        var path = staged.Json.GetProperty("path").GetString()!;
        Assert.StartsWith(Path.Combine(w.Bob.Cli.Home, "staging") + "/", path, StringComparison.Ordinal);
        Assert.Equal("report final.pdf", Path.GetFileName(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(w.Bob.Cli.Home, "staging")));
        }
        var sent = await api.OkAsync("files.send", new { to = "alice", path, transfer = "up-1" });
        Assert.Equal(300_000, sent["size"]!.GetValue<long>());
        var progress = api.Events.Where(e => e["type"]?.GetValue<string>() == "transfer").ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, e => Assert.Equal("up-1", e["transfer"]?.GetValue<string>()));
        Assert.Equal(progress[^1]["total"]!.GetValue<long>(), progress[^1]["bytes"]!.GetValue<long>()); // ends complete
        Assert.False(File.Exists(path)); // sent: the staged copy is gone

        // Alice's file reaches bob; a download without `out` stays in the staging area for one fetch.
        var source = Path.Combine(w.World.Root, "from-alice.bin");
        await File.WriteAllBytesAsync(source, content);
        var fileId = Assert.Single((await w.Alice.OkAsync("file", "send", "bob", source, "--json")).JsonLines).GetProperty("id").GetString()!;
        await api.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "message" && e["id"]?.GetValue<string>() == fileId);
        var got = await api.OkAsync("files.get", new { id = fileId, transfer = "down-1" });
        var token = got["staged"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", token);
        using (var first = await http.GetAsync(new Uri($"http://127.0.0.1:{w.Daemon!.Port}/api/v1/staging/{token}")).WaitAsync(TestTimeouts.Command))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("application/octet-stream", first.Content.Headers.ContentType!.MediaType);
            Assert.Equal("attachment", first.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(content, await first.Content.ReadAsByteArrayAsync());
        }

        using var second = await http.GetAsync(new Uri($"http://127.0.0.1:{w.Daemon.Port}/api/v1/staging/{token}")).WaitAsync(TestTimeouts.Command);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);

        // A running upload is cancelled by its name (-32005), and sending the same file again finishes it.
        var large = await StageAsync(http, w, "to=alice&name=large.bin&modified=1764500000000", RandomNumberGenerator.GetBytes(48 * 1024 * 1024));
        var largePath = large.Json.GetProperty("path").GetString()!;
        await api.SendRawAsync(System.Text.Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = 9_001, ["method"] = "files.send", ["params"] = new System.Text.Json.Nodes.JsonObject { ["to"] = "alice", ["path"] = largePath, ["transfer"] = "large" },
        }.ToJsonString()));
        await api.WaitForEventAsync(e => e["type"]?.GetValue<string>() == "transfer" && e["transfer"]?.GetValue<string>() == "large");
        var cancelled = await api.CallAsync("files.cancel", new { transfer = "large" });
        var stopped = await api.NextResponseAsync(9_001);
        if (cancelled.ContainsKey("result"))
        {
            Assert.Equal(-32005, stopped["error"]!["code"]!.GetValue<int>());
            Assert.True(File.Exists(largePath)); // kept, to resume
        }
        else
        {
            Assert.True(stopped.ContainsKey("result"), stopped.ToJsonString()); // it finished before the cancel arrived
        }

        if (File.Exists(largePath))
        {
            Assert.Equal(48 * 1024 * 1024, (await api.OkAsync("files.send", new { to = "alice", path = largePath, transfer = "large" }))["size"]!.GetValue<long>());
        }

        // Cancelling names only running transfers of this connection; names are checked.
        var cancel = await api.CallAsync("files.cancel", new { transfer = "up-1" });
        Assert.Equal(-32602, cancel["error"]!["code"]!.GetValue<int>());
        var badName = await api.CallAsync("files.get", new { id = fileId, transfer = "no spaces" });
        Assert.Equal(-32602, badName["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_staging_requests_are_refused_and_stage_nothing()
    {
        await using var w = await DaemonWorld.StartAsync(befriend: false);
        using var http = Http(w);
        var port = w.Daemon!.Port;
        var staging = Path.Combine(w.Bob.Cli.Home, "staging");

        // No secret, a wrong one.
        using (var anonymous = new HttpClient())
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"http://127.0.0.1:{port}/api/v1/staging?to=alice&name=a&modified=1") { Content = new ByteArrayContent([1, 2, 3]) };
            using var refused = await anonymous.SendAsync(put).WaitAsync(TestTimeouts.Command);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new string('0', 64));
            using var wrong = await anonymous.GetAsync(new Uri($"http://127.0.0.1:{port}/api/v1/staging/{new string('a', 32)}")).WaitAsync(TestTimeouts.Command);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        foreach (var query in new[] { "name=a&modified=1", "to=NOT%20A%20USER&name=a&modified=1", "to=alice&modified=1", "to=alice&name=a", "to=alice&name=a&modified=-1", "to=alice&name=a&modified=1&profile=%2F%2F" })
        {
            var response = await StageAsync(http, w, query, [1, 2, 3]);
            Assert.True(response.Status == HttpStatusCode.BadRequest, query + " -> " + response.Status);
            Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("error").GetString()));
        }

        // A body without a length (chunked) is refused before anything is written.
        using (var chunked = new HttpRequestMessage(HttpMethod.Put, $"http://127.0.0.1:{port}/api/v1/staging?to=alice&name=a&modified=1") { Content = new StreamContent(new MemoryStream([1, 2, 3])) })
        {
            chunked.Headers.TransferEncodingChunked = true;
            using var response = await http.SendAsync(chunked).WaitAsync(TestTimeouts.Command);
            Assert.Equal(HttpStatusCode.LengthRequired, response.StatusCode);
        }

        // Unknown or malformed download tokens, other methods, other paths.
        foreach (var (method, route) in new[] { ("GET", "/api/v1/staging/" + new string('a', 32)), ("GET", "/api/v1/staging/..%2F..%2Fkeys"), ("GET", "/api/v1/staging/"), ("DELETE", "/api/v1/staging"), ("POST", "/api/v1/staging") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{port}{route}");
            using var response = await http.SendAsync(request).WaitAsync(TestTimeouts.Command);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {route} -> {response.StatusCode}");
        }

        Assert.True(!Directory.Exists(staging) || !Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Any());
    }

    private static HttpClient Http(DaemonWorld w)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", w.Daemon!.Token);
        return http;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> StageAsync(HttpClient http, DaemonWorld w, string query, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"http://127.0.0.1:{w.Daemon!.Port}/api/v1/staging?{query}") { Content = new ByteArrayContent(body) };
        using var response = await http.SendAsync(request).WaitAsync(TestTimeouts.Command);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return (response.StatusCode, json.RootElement.Clone());
    }
}
