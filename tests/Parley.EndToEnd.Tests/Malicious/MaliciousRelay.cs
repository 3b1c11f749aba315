using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Parley.EndToEnd.Tests.Infrastructure;
using Google.Protobuf;
using Parley.Wire;

namespace Parley.EndToEnd.Tests.Malicious;

/// <summary>
/// A malicious server, as a test harness (issue 14): a TLS-terminating relay proxy on 127.0.0.1 with
/// its own certificate — the key a hostile server holds — that clients pin instead of the real
/// server's. It forwards every REST call and the relay WebSocket (<c>/v1/ws</c>) to the real server
/// and lets a test rewrite what passes: REST answers (<see cref="RewriteResponse"/>), frames from the
/// server to a client (<see cref="OnServerFrame"/>: drop, delay, duplicate, reorder, replay, flip
/// bits, inject) and frames from a client (<see cref="OnClientFrame"/>). Every frame in both
/// directions is recorded, so tests can replay old ones and assert what a client did or did not send.
/// Test-only: nothing of it is in src/.
/// </summary>
internal sealed class MaliciousRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly SocketsHttpHandler _upstreamHandler;
    private readonly Uri _server;
    private int _connections;
    private ConcurrentQueue<byte[]> _toServer = new();

    private MaliciousRelay(WebApplication app, SocketsHttpHandler handler, Uri server, string fingerprint, int port, ConcurrentQueue<string> log)
    {
        Log = log;
        _app = app;
        _upstreamHandler = handler;
        _upstream = new HttpClient(handler, disposeHandler: false) { BaseAddress = server, Timeout = TestTimeouts.Command };
        _server = server;
        Fingerprint = fingerprint;
        Url = $"https://127.0.0.1:{port}";
    }

    /// <summary>Where clients connect.</summary>
    public string Url { get; }

    /// <summary>The proxy's own certificate fingerprint, which clients pin.</summary>
    public string Fingerprint { get; }

    /// <summary>Every frame the server sent to a client, as the server sent it (before any rewrite).</summary>
    public ConcurrentQueue<RelayedServerFrame> FromServer { get; } = new();

    /// <summary>Every frame a client sent, as the client sent it (before any rewrite).</summary>
    public ConcurrentQueue<RelayedClientFrame> FromClients { get; } = new();

    /// <summary>Every REST request that reached the proxy: method and path.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>
    /// What the proxy did, for a failing test's message: each request's status and time, every
    /// upstream failure, and Kestrel's own warnings (TLS handshakes, aborted connections).
    /// </summary>
    public ConcurrentQueue<string> Log { get; }

    /// <summary>The proxy's log as one string.</summary>
    public string Diagnostics => string.Join('\n', Log);

    /// <summary>
    /// Rewrites a frame on its way from the server to a client: returns the frames (raw bytes) to
    /// deliver instead — none to drop, several to duplicate or inject. Default: pass unchanged.
    /// </summary>
    public Func<RelayedServerFrame, IReadOnlyList<byte[]>>? OnServerFrame { get; set; }

    /// <summary>Rewrites a frame on its way from a client to the server, like <see cref="OnServerFrame"/>.</summary>
    public Func<RelayedClientFrame, IReadOnlyList<byte[]>>? OnClientFrame { get; set; }

    /// <summary>Rewrites a REST answer (method, path, status, body) before the client sees it; null keeps it.</summary>
    public Func<string, string, HttpStatusCode, byte[], byte[]?>? RewriteResponse { get; set; }

    /// <summary>
    /// Sends a frame to the server as if the client of the newest relay connection had sent it (say,
    /// an acknowledgement that makes the server delete a message the client never saw). It goes out
    /// right after the server frame being rewritten.
    /// </summary>
    public void InjectToServer(ClientFrame frame) => _toServer.Enqueue(frame.ToByteArray());

    /// <summary>Starts a proxy in front of <paramref name="server"/>, validating it by its fingerprint.</summary>
    public static async Task<MaliciousRelay> StartAsync(ServerProcess server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=evil-parley-proxy", key, HashAlgorithmName.SHA256);
        using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificate = X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pkcs12), null);
        var fingerprint = "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is not null && string.Equals("SHA256:" + Convert.ToHexStringLower(SHA256.HashData(cert.GetRawCertData())), server.Fingerprint, StringComparison.OrdinalIgnoreCase),
            },
        };

        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var log = new ConcurrentQueue<string>();
        builder.Logging.AddProvider(new QueueLoggerProvider(log));
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var relay = new MaliciousRelay(app, handler, new Uri(server.Url), fingerprint, port, log);
        app.UseWebSockets();
        app.Run(relay.HandleAsync);
        await app.StartAsync().WaitAsync(TestTimeouts.ServerStart);
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        _upstream.Dispose();
        _upstreamHandler.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var what = context.Request.Method + " " + context.Request.Path;
        Requests.Enqueue(what);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                await BridgeWebSocketAsync(context);
            }
            else
            {
                await ForwardRestAsync(context);
            }

            Log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what} -> {context.Response.StatusCode} in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
        }
        catch (Exception e)
        {
            Log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what} failed after {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms: {e.GetType().Name}: {e.Message} ({e.InnerException?.GetType().Name}: {e.InnerException?.Message})");
            throw;
        }
    }

    private async Task ForwardRestAsync(HttpContext context)
    {
        var path = context.Request.Path + context.Request.QueryString;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(path, UriKind.Relative));
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0 || HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPatch(context.Request.Method) || HttpMethods.IsPut(context.Request.Method))
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        answer = RewriteResponse?.Invoke(context.Request.Method, context.Request.Path.Value ?? string.Empty, response.StatusCode, answer) ?? answer;
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Transfer-Encoding" or "Content-Length" or "Connection")
            {
                continue;
            }

            context.Response.Headers[name] = values.ToArray();
        }

        // 204, 205 and 304 carry no body, and Kestrel refuses any write to one (even of zero bytes):
        // the client would see a 500 where the server said 204 (the cause of this harness's
        // "server cannot be reached" on key uploads).
        if (!CanHaveBody(context.Response.StatusCode) || HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private static bool CanHaveBody(int status) =>
        status is >= 200 and not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified);

    private async Task BridgeWebSocketAsync(HttpContext context)
    {
        var connection = Interlocked.Increment(ref _connections);
        using var upstream = new ClientWebSocket();
        if (context.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            upstream.Options.SetRequestHeader("Authorization", authorization.ToString());
        }

        var target = new UriBuilder(new Uri(_server, context.Request.Path + context.Request.QueryString)) { Scheme = "wss" }.Uri;
        try
        {
            using var invoker = new HttpMessageInvoker(_upstreamHandler, disposeHandler: false);
            await upstream.ConnectAsync(target, invoker, context.RequestAborted);
        }
        catch (WebSocketException)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var client = await context.WebSockets.AcceptWebSocketAsync();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var upstreamSend = new SemaphoreSlim(1, 1);
        var toServer = new ConcurrentQueue<byte[]>();
        _toServer = toServer;
        var down = PumpAsync(upstream, client, null, bytes =>
        {
            var frame = new RelayedServerFrame(connection, bytes, TryParse(ServerFrame.Parser, bytes));
            FromServer.Enqueue(frame);
            return OnServerFrame?.Invoke(frame) ?? [bytes];
        }, async () =>
        {
            while (toServer.TryDequeue(out var injected))
            {
                await SendLockedAsync(upstream, upstreamSend, injected, done.Token);
            }
        }, done.Token);
        var up = PumpAsync(client, upstream, upstreamSend, bytes =>
        {
            var frame = new RelayedClientFrame(connection, bytes, TryParse(ClientFrame.Parser, bytes));
            FromClients.Enqueue(frame);
            return OnClientFrame?.Invoke(frame) ?? [bytes];
        }, () => Task.CompletedTask, done.Token);
        await Task.WhenAny(down, up);
        await done.CancelAsync();
        await CloseQuietlyAsync(client);
        await CloseQuietlyAsync(upstream);
        await Task.WhenAll(down, up).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static async Task PumpAsync(
        WebSocket from, WebSocket to, SemaphoreSlim? sendLock, Func<byte[], IReadOnlyList<byte[]>> rewrite, Func<Task> afterEach, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await from.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frames = rewrite(message.ToArray());
                message.SetLength(0);
                foreach (var frame in frames)
                {
                    await SendLockedAsync(to, sendLock, frame, cancellationToken);
                }

                await afterEach();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // One side went away: the bridge closes the other.
        }
    }

    private static async Task SendLockedAsync(WebSocket socket, SemaphoreSlim? sendLock, byte[] frame, CancellationToken cancellationToken)
    {
        if (sendLock is not null)
        {
            await sendLock.WaitAsync(cancellationToken);
        }

        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sendLock?.Release();
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // Best effort.
        }
    }

    private static T? TryParse<T>(MessageParser<T> parser, byte[] bytes)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}

/// <summary>A frame the server sent on relay connection <paramref name="Connection"/> (1-based, in connect order).</summary>
internal sealed record RelayedServerFrame(int Connection, byte[] Bytes, ServerFrame? Frame);

/// <summary>A frame a client sent on relay connection <paramref name="Connection"/>.</summary>
internal sealed record RelayedClientFrame(int Connection, byte[] Bytes, ClientFrame? Frame);

/// <summary>Kestrel's log lines (connection-level events at Debug: handshakes, resets) into a queue.</summary>
internal sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new QueueLogger(lines, categoryName);

    public void Dispose()
    {
    }

    private sealed class QueueLogger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Warning || (logLevel >= LogLevel.Debug && category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Name}] {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            }
        }
    }
}
