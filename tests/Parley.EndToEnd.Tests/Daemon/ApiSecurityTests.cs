using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>The loopback TCP endpoint refuses everything without the secret, the right Host and the right Origin.</summary>
public sealed class ApiSecurityTests
{
    private const string WhoAmI = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\"}";

    [Fact]
    public async Task Post_requires_token_exact_host_and_same_or_no_origin()
    {
        await using var w = await DaemonWorld.StartAsync(befriend: false);
        var port = w.Daemon!.Port;
        using var http = new HttpClient();

        async Task<HttpResponseMessage> PostAsync(string? token, string? host = null, string? origin = null, string contentType = "application/json")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/api/v1/rpc") { Content = new StringContent(WhoAmI, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (host is not null)
            {
                request.Headers.Host = host;
            }

            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            return await http.SendAsync(request).WaitAsync(TestTimeouts.Command);
        }

        var token = w.Daemon.Token;
        var ok = await PostAsync(token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("\"user\":\"bob\"", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", ok.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", ok.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(ok.Headers.Contains("Access-Control-Allow-Origin"));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(token, host: $"localhost:{port}", origin: $"http://localhost:{port}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(new string('0', 64))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(token[..^1])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(token, host: $"evil.example:{port}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(token, host: "127.0.0.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(token, origin: "http://evil.example")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(token, origin: "null")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(token, origin: $"http://localhost:{port}")).StatusCode); // Host 127.0.0.1: not the same origin
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(token, contentType: "text/plain")).StatusCode);

        // The web app is served (no token needed: it holds none) under the same CSP; nothing else is.
        var page = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/")).WaitAsync(TestTimeouts.Command);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/..%2Fdaemon.lock")).WaitAsync(TestTimeouts.Command)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/src/main.ts")).WaitAsync(TestTimeouts.Command)).StatusCode);

        var preflight = new HttpRequestMessage(HttpMethod.Options, $"http://127.0.0.1:{port}/api/v1/rpc");
        preflight.Headers.Add("Origin", "http://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var answer = await http.SendAsync(preflight).WaitAsync(TestTimeouts.Command);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.NotEqual(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task WebSocket_refuses_missing_wrong_and_cross_origin_credentials()
    {
        await using var w = await DaemonWorld.StartAsync(befriend: false);
        var port = w.Daemon!.Port;

        // Token in the subprotocol: works, and subscribes.
        await using (var good = await WebSocketRpc.ConnectAsync(port, w.Daemon.Token, origin: $"http://127.0.0.1:{port}"))
        {
            Assert.Equal("bob", (await good.OkAsync("whoami"))["user"]!.GetValue<string>());
        }

        // Wrong token in the subprotocol: refused before the upgrade.
        await Assert.ThrowsAsync<WebSocketException>(() => WebSocketRpc.ConnectAsync(port, new string('a', 64)));

        // Cross-origin and Origin null: refused before the upgrade.
        await Assert.ThrowsAsync<WebSocketException>(() => WebSocketRpc.ConnectAsync(port, w.Daemon.Token, origin: "http://evil.example"));
        await Assert.ThrowsAsync<WebSocketException>(() => WebSocketRpc.ConnectAsync(port, w.Daemon.Token, origin: "null"));

        // No token: the first call must be auth; anything else is refused and the socket closed.
        await using (var anonymous = await WebSocketRpc.ConnectAsync(port, null))
        {
            var refused = await anonymous.CallAsync("whoami");
            Assert.Equal(-32003, refused["error"]!["code"]!.GetValue<int>());
            await anonymous.ClosedTask.WaitAsync(TestTimeouts.Command);
        }

        await using (var wrong = await WebSocketRpc.ConnectAsync(port, null))
        {
            var refused = await wrong.CallAsync("auth", new { token = new string('f', 64) });
            Assert.Equal(-32003, refused["error"]!["code"]!.GetValue<int>());
            await wrong.ClosedTask.WaitAsync(TestTimeouts.Command);
        }

        await using (var firstMessage = await WebSocketRpc.ConnectAsync(port, null))
        {
            await firstMessage.OkAsync("auth", new { token = w.Daemon.Token });
            Assert.Equal("bob", (await firstMessage.OkAsync("whoami"))["user"]!.GetValue<string>());
        }

        // The secret never appears in the daemon's log (stderr); it is only in the printed web address.
        Assert.Single(w.Daemon.Output.Split('\n'), line => line.Contains(w.Daemon.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_home_exits_with_a_clear_sentence_and_sigterm_stops_cleanly()
    {
        await using var w = await DaemonWorld.StartAsync(befriend: false);
        var second = await DaemonProcess.RunToExitAsync(w.Bob.Cli);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("already running for this home", second.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, await w.Daemon!.StopAsync());
        Assert.False(File.Exists(w.Daemon.SocketPath));
        Assert.Contains("daemon stopped", w.Daemon.Output, StringComparison.Ordinal);

        // The lock went with it: a new daemon starts.
        var again = await w.RestartDaemonAsync();
        Assert.True(File.Exists(again.SocketPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(again.SocketPath));
        }
    }
}
