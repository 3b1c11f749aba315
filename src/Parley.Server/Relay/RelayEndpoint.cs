using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Parley.Server.Authentication;
using Parley.Server.Presence;

namespace Parley.Server.Relay;

/// <summary>
/// <c>GET /v1/ws</c>: the authenticated WebSocket of a client. Checks the Origin, accepts the socket
/// with keep-alive pings and a pong timeout, then runs the receive loop (<see cref="RelaySession"/>).
/// </summary>
public static partial class RelayEndpoint
{
    /// <summary>The WebSocket path.</summary>
    public const string Path = "/v1/ws";

    /// <summary>Maps the relay socket; it requires the server's bearer authentication.</summary>
    public static IEndpointConventionBuilder MapRelaySocket(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Map(Path, HandleAsync).RequireAuthorization().ExcludeFromDescription();
    }

    private static async Task HandleAsync(HttpContext context, MessageDelivery delivery, MessageSender sender, PresenceService presence,
        RelayMetrics metrics, IOptions<RelayOptions> options, ILogger<RelaySession> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        if (!OriginPolicy.IsAllowed(context.Request, options.Value.AllowedOrigins))
        {
            LogOriginRefused(logger);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!RelayIdentity.TryGet(context.User, out var accountId, out var username))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.Value.KeepAliveInterval,
            KeepAliveTimeout = options.Value.IdleTimeout,
        });
        var connection = new RelayConnection(socket, accountId, username, context.GetSession().TokenHash);
        var session = new RelaySession(connection, delivery, sender, presence, metrics, logger);
        await session.RunAsync(context.RequestAborted);
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Relay socket refused: Origin not allowed")]
    private static partial void LogOriginRefused(ILogger logger);
}
