using System.Text;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>Bad input gets a JSON-RPC error, changes nothing, and does not disturb other clients.</summary>
public sealed class ApiBadInputTests
{
    public static TheoryData<string, string, int> Table => new()
    {
        { "malformed JSON", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", -32700 },
        { "not an object", "42", -32600 },
        { "batch", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\"}]", -32600 },
        { "no version", "{\"id\":1,\"method\":\"whoami\"}", -32600 },
        { "params as array", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":[1]}", -32600 },
        { "unknown method", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"launch.missiles\"}", -32601 },
        { "wrong parameter type", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"history\",\"params\":{\"user\":\"alice\",\"limit\":\"many\"}}", -32602 },
        { "missing parameter", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send\",\"params\":{\"to\":\"alice\"}}", -32602 },
        { "unknown parameter", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send\",\"params\":{\"to\":\"alice\",\"text\":\"x\",\"evil\":true}}", -32602 },
        { "limit one past the maximum", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"history\",\"params\":{\"user\":\"alice\",\"limit\":10001}}", -32602 },
        { "malformed history cursor", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"history\",\"params\":{\"user\":\"alice\",\"before\":\"../../x\"}}", -32602 },
        { "history cursor of no message here", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"history\",\"params\":{\"user\":\"alice\",\"before\":\"0123456789abcdef0123456789abcdef\"}}", -32602 },
        { "history cursor with unread", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"history\",\"params\":{\"user\":\"alice\",\"unread\":true,\"before\":\"0123456789abcdef0123456789abcdef\"}}", -32602 },
        { "probe of a server that is not https", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server.probe\",\"params\":{\"server\":\"http://127.0.0.1:1\"}}", -32602 },
        { "probe address one past its limit", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server.probe\",\"params\":{\"server\":\"https://127.0.0.1:1/" + new string('a', 2049 - "https://127.0.0.1:1/".Length) + "\"}}", -32602 },
        { "settings with a wrongly typed value", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"settings\",\"params\":{\"notificationPreviews\":\"yes\"}}", -32602 },
        { "empty text", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send\",\"params\":{\"to\":\"alice\",\"text\":\"  \"}}", -32602 },
        { "bad user name", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send\",\"params\":{\"to\":\"../../etc\",\"text\":\"x\"}}", -32000 },
        { "deeply nested", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":{\"a\":" + new string('[', 40) + new string(']', 40) + "}}", -32700 },
    };

    [Fact]
    public async Task Every_bad_request_gets_its_error_over_both_transports_and_changes_nothing()
    {
        await using var w = await DaemonWorld.StartAsync();
        await using var unix = await w.UnixAsync();
        await using var ws = await w.WebSocketAsync();
        var before = (await unix.OkAsync("history", new { user = "alice" })).ToJsonString();
        foreach (var row in Table)
        {
            var (name, request, code) = ((string)row[0], (string)row[1], (int)row[2]);
            foreach (RpcConnection connection in new RpcConnection[] { unix, ws })
            {
                await connection.SendRawAsync(Encoding.UTF8.GetBytes(request));
                var response = await connection.NextResponseAsync();
                Assert.True(response["error"]?["code"]?.GetValue<int>() == code, $"{name} over {connection.GetType().Name}: {response.ToJsonString()}");
            }
        }

        Assert.Equal(before, (await unix.OkAsync("history", new { user = "alice" })).ToJsonString());
        Assert.Equal("bob", (await ws.OkAsync("whoami"))["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_last_request_without_a_newline_is_answered_once_and_the_connection_ends()
    {
        // Regression: the daemon answered such a request forever ("too many requests" at 10,000
        // reads a second, growing without bound) after the client half-closed its socket.
        await using var w = await DaemonWorld.StartAsync(befriend: false);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(w.Daemon!.SocketPath)).WaitAsync(TestTimeouts.Command);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":{}}")).WaitAsync(TestTimeouts.Command);
        socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TestTimeouts.Command)) > 0)
        {
            received.Write(buffer, 0, read);
            Assert.True(received.Length < 64 * 1024, "the daemon keeps answering");
        }

        var lines = Encoding.UTF8.GetString(received.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var only = Assert.Single(lines);
        Assert.Contains("\"id\":1", only, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_requests_are_refused_at_the_limit_plus_one_and_floods_are_throttled_per_connection()
    {
        await using var w = await DaemonWorld.StartAsync(befriend: false);
        const int Limit = 256 * 1024;

        // At the limit: parsed (and refused for its content, not its size).
        await using (var atLimit = await w.UnixAsync())
        {
            var padding = Limit - "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":{\"profile\":\"\"}}".Length;
            var request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":{\"profile\":\"" + new string('a', padding) + "\"}}";
            Assert.Equal(Limit, Encoding.UTF8.GetByteCount(request));
            await atLimit.SendRawAsync(Encoding.UTF8.GetBytes(request));
            Assert.Equal(-32000, (await atLimit.NextResponseAsync())["error"]!["code"]!.GetValue<int>());
        }

        foreach (var connect in new Func<Task<RpcConnection>>[] { async () => await w.UnixAsync(), async () => await w.WebSocketAsync() })
        {
            await using var big = await connect();
            await big.SendRawAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":{\"profile\":\"" + new string('a', Limit) + "\"}}"));
            Assert.Equal(-32001, (await big.NextResponseAsync())["error"]!["code"]!.GetValue<int>());
            await big.ClosedTask.WaitAsync(TestTimeouts.Command);
        }

        // A flood on one connection is throttled; a second connection is served meanwhile.
        await using var flooder = await w.UnixAsync();
        await using var neighbour = await w.UnixAsync();
        var burst = string.Concat(Enumerable.Range(0, 1000).Select(i => "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"daemon.info\"}\n"));
        await flooder.SendRawAsync(Encoding.UTF8.GetBytes(burst.TrimEnd('\n')));
        Assert.Equal("bob", (await neighbour.OkAsync("whoami"))["user"]!.GetValue<string>());
        var limited = 0;
        for (var i = 0; i < 1000; i++)
        {
            var response = await flooder.NextResponseAsync();
            if (response["error"]?["code"]?.GetValue<int>() == -32002)
            {
                limited++;
            }
        }

        Assert.True(limited > 0, "a burst of 1,000 requests must be throttled");
        Assert.Equal("bob", (await neighbour.OkAsync("whoami"))["user"]!.GetValue<string>());
    }
}
