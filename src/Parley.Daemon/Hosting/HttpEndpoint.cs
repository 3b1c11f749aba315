using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Daemon.Api;
using Parley.Daemon.Rpc;

namespace Parley.Daemon.Hosting;

/// <summary>
/// The loopback TCP endpoint for the web app and scripts: <c>POST /api/v1/rpc</c> and the WebSocket
/// <c>/api/v1/ws</c>, on 127.0.0.1 only. Every request passes <see cref="HttpGuard"/> (exact Host,
/// exact Origin or none, the secret); nothing sends CORS headers.
/// </summary>
internal sealed class HttpEndpoint : IAsyncDisposable
{
    /// <summary>The JSON-RPC route.</summary>
    public const string RpcPath = "/api/v1/rpc";

    /// <summary>The WebSocket route.</summary>
    public const string WebSocketPath = "/api/v1/ws";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();

    private HttpEndpoint(WebApplication app) => _app = app;

    /// <summary>The port actually bound.</summary>
    public int Port { get; private set; }

    public static async Task<HttpEndpoint> StartAsync(int port, DaemonSecret secret, RpcDispatcher dispatcher, ILoggerFactory loggers, CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = ApiLimits.MaxRequestBytes;
            o.Limits.MaxConcurrentConnections = ApiLimits.MaxConnections;
            o.Limits.MaxConcurrentUpgradedConnections = ApiLimits.MaxConnections;
            o.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        var app = builder.Build();
        var endpoint = new HttpEndpoint(app);
        var guard = new HttpGuard(secret, () => endpoint.Port);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(context => endpoint.HandleAsync(context, guard, dispatcher));
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await endpoint.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.Port = new Uri(address).Port;
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task HandleAsync(HttpContext context, HttpGuard guard, RpcDispatcher dispatcher)
    {
        HttpGuard.AddSecurityHeaders(context.Response);
        if (guard.Reject(context.Request) is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }

        switch (context.Request.Path.Value)
        {
            case RpcPath:
                await HandlePostAsync(context, guard, dispatcher).ConfigureAwait(false);
                break;
            case WebSocketPath:
                await HandleWebSocketAsync(context, guard, dispatcher).ConfigureAwait(false);
                break;
            default:
                await ServeWebAppAsync(context).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// The web app's embedded files, by exact name only (no path reaches anything else), under the same
    /// strict CSP. They hold no secret: the page reads the token from its URL fragment, never sent here.
    /// </summary>
    private static async Task ServeWebAppAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !Parley.Web.WebAssets.TryGet(request.Path.Value, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        if (HttpMethods.IsGet(request.Method))
        {
            await context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task HandlePostAsync(HttpContext context, HttpGuard guard, RpcDispatcher dispatcher)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!guard.HasBearer(request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        byte[]? response;
        if (request.ContentLength > ApiLimits.MaxRequestBytes)
        {
            response = RpcDispatcher.Error(null, ApiErrorCodes.RequestTooLarge, $"The request is larger than {ApiLimits.MaxRequestBytes} bytes.");
        }
        else
        {
            var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
            using var call = new RpcCall(authenticated: true, canStream: false);
            response = body is null
                ? RpcDispatcher.Error(null, ApiErrorCodes.RequestTooLarge, $"The request is larger than {ApiLimits.MaxRequestBytes} bytes.")
                : await dispatcher.HandleAsync(body, call, context.RequestAborted).ConfigureAwait(false);
        }

        if (response is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(response, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleWebSocketAsync(HttpContext context, HttpGuard guard, RpcDispatcher dispatcher)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var token = offered.FirstOrDefault(p => p.StartsWith(HttpGuard.TokenProtocolPrefix, StringComparison.Ordinal));
        var authenticated = token is not null && guard.Secret.Matches(token[HttpGuard.TokenProtocolPrefix.Length..]);
        if (token is not null && !authenticated)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var protocol = offered.Contains(HttpGuard.Protocol) ? HttpGuard.Protocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol).ConfigureAwait(false);
        using var call = new RpcCall(authenticated, canStream: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, context.RequestAborted);
        await RpcSession.RunAsync(new WebSocketTransport(socket), call, dispatcher, TimeProvider.System, stop.Token).ConfigureAwait(false);
        if (socket.State is System.Net.WebSockets.WebSocketState.Open or System.Net.WebSockets.WebSocketState.CloseReceived)
        {
            var status = call.IsAuthenticated ? System.Net.WebSockets.WebSocketCloseStatus.NormalClosure : System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, null, timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Reads the body up to the limit; null when it is longer (chunked bodies have no length up front).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > ApiLimits.MaxRequestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
