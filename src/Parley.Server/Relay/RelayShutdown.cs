using System.Net.WebSockets;

namespace Parley.Server.Relay;

/// <summary>
/// Closes every relay socket as soon as the server is asked to stop (Ctrl-C, SIGTERM): each client
/// gets a 1001 "server shutting down" close frame at once, instead of Kestrel waiting out its shutdown
/// timeout for sockets that would otherwise stay open. Sockets still open after
/// <see cref="CloseGrace"/> are aborted. Runs on <c>ApplicationStopping</c>, which fires before the web
/// server starts to drain its requests.
/// </summary>
public sealed partial class RelayShutdown(
    ConnectionRegistry registry, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<RelayShutdown> logger) : IHostedService
{
    /// <summary>How long clients get to answer the close frame before their sockets are aborted.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>The close reason sent to clients.</summary>
    public const string Reason = "server shutting down";

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CloseAll()
    {
        var open = registry.TerminateAll(WebSocketCloseStatus.EndpointUnavailable, Reason);
        if (open.Count > 0)
        {
            LogClosing(logger, open.Count);
            // Not awaited: the web server's own drain is what shutdown waits for; this only bounds it.
            _ = AbortStragglersAsync(open);
        }
    }

    private async Task AbortStragglersAsync(IReadOnlyList<RelayConnection> open)
    {
        await Task.Delay(CloseGrace, time).ConfigureAwait(false);
        foreach (var connection in open.Where(c => c.Socket.State is not (WebSocketState.Closed or WebSocketState.Aborted)))
        {
            connection.Socket.Abort();
        }
    }

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information, Message = "Shutting down: closing {Count} relay sockets")]
    private static partial void LogClosing(ILogger logger, int count);
}
