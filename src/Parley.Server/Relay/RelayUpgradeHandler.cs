using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Presence;

namespace Parley.Server.Relay;

/// <summary>
/// Accepts relay sockets at the connection level, before Kestrel's HTTP layer: a connection whose first
/// bytes are a plain HTTP/1.1 upgrade of <c>/v1/ws</c> (<see cref="RelayUpgradeRequest"/>) with a valid,
/// unexpired session token and no Origin or a listed one is answered <c>101</c> here, and its
/// WebSocket runs straight on the transport. No request, no header collections, no middleware frames,
/// no authentication ticket stay alive under an idle socket: that is most of the memory a socket costs.
/// Everything else — other paths, HTTP/2, anything unusual, a bad token, a refused Origin — goes on to
/// the ordinary pipeline untouched (nothing is consumed), which serves or refuses it exactly as before.
/// </summary>
public sealed partial class RelayUpgradeHandler : IPublicConnectionMiddleware
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static readonly Func<ILogger, string, IDisposable?> AddressScope = ClientAddressScope.Define();
    private readonly ISessionTokenStore _sessions;
    private readonly MessageDelivery _delivery;
    private readonly MessageSender _sender;
    private readonly PresenceService _presence;
    private readonly RelayMetrics _metrics;
    private readonly RelayOptions _options;
    private readonly ParleyServerOptions _server;
    private readonly TimeProvider _time;
    private readonly ILogger<RelaySession> _logger;
    private readonly ILogger _clientLogger;

    /// <summary>Creates the handler (one per server).</summary>
    public RelayUpgradeHandler(ISessionTokenStore sessions, MessageDelivery delivery, MessageSender sender, PresenceService presence,
        RelayMetrics metrics, IOptions<RelayOptions> options, IOptions<ParleyServerOptions> server, TimeProvider time,
        ILogger<RelaySession> logger, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(loggers);
        _sessions = sessions;
        _delivery = delivery;
        _sender = sender;
        _presence = presence;
        _metrics = metrics;
        _options = options.Value;
        _server = server.Value;
        _time = time;
        _logger = logger;
        _clientLogger = loggers.CreateLogger(ClientAddressScope.Category);
    }

    /// <inheritdoc />
    public ConnectionDelegate Wrap(ConnectionDelegate rest, KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(rest);
        ArgumentNullException.ThrowIfNull(limits);
        return _options.ConnectionUpgrade ? connection => HandleAsync(connection, rest, limits.KeepAliveTimeout) : rest;
    }

    private async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next, TimeSpan firstBytesTimeout)
    {
        var (outcome, request, session) = await TryTakeAsync(connection, firstBytesTimeout).ConfigureAwait(false);
        switch (outcome)
        {
            case Outcome.Pipeline:
                await next(connection).ConfigureAwait(false);
                return;
            case Outcome.Close:
                return;
        }

        _metrics.ConnectionLevelUpgrade();
        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + AcceptKey(request!.Key) + "\r\n\r\n"),
                connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            return; // the client left during the handshake
        }

        var transport = new DuplexPipeStream(connection.Transport);
        using var socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = _options.KeepAliveInterval,
            KeepAliveTimeout = _options.IdleTimeout,
        });
        using (AddressScope(_clientLogger, ClientAddress(connection, request.ForwardedFor)))
        {
            var relay = new RelayConnection(socket, transport, session!.AccountId.Value, session.Username, session.TokenHash);
            await new RelaySession(relay, _delivery, _sender, _presence, _metrics, _logger).RunAsync(connection.ConnectionClosed).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the first bytes and decides; consumes the request head only when the socket is taken here.</summary>
    private async Task<(Outcome, RelayUpgradeRequest?, SessionRecord?)> TryTakeAsync(ConnectionContext connection, TimeSpan firstBytesTimeout)
    {
        var input = connection.Transport.Input;
        System.IO.Pipelines.ReadResult read;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            wait.CancelAfter(firstBytesTimeout);
            try
            {
                read = await input.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
                // Silent for as long as Kestrel would keep an idle connection, or gone: closed, as Kestrel would.
                return (Outcome.Close, null, null);
            }
        }

        var request = read.IsCanceled ? null : RelayUpgradeRequest.TryParse(read.Buffer);
        // Nothing consumed, nothing examined: whoever reads next sees the same bytes at once.
        input.AdvanceTo(read.Buffer.Start);
        if (request is null || (request.Origin is not null && !OriginPolicy.IsListed(request.Origin, _options.AllowedOrigins))
            || !SessionToken.TryHash(request.Token, out var hash))
        {
            return (Outcome.Pipeline, null, null);
        }

        SessionRecord? session;
        try
        {
            session = await _sessions.FindAsync(hash, connection.ConnectionClosed).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The pipeline repeats the lookup and reports the failure as it always has.
        catch (Exception)
#pragma warning restore CA1031
        {
            return (Outcome.Pipeline, null, null);
        }

        if (session is null || session.ExpiresAt <= _time.GetUtcNow())
        {
            // The pipeline's authentication answers 401 with its usual body.
            return (Outcome.Pipeline, null, null);
        }

        try
        {
            read = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            return (Outcome.Close, null, null);
        }

        if (read.Buffer.Length < request.HeadLength)
        {
            input.AdvanceTo(read.Buffer.Start);
            return (Outcome.Pipeline, null, null);
        }

        input.AdvanceTo(read.Buffer.GetPosition(request.HeadLength));
        return (Outcome.Take, request, session);
    }

    /// <summary>The client address for the log scope, as the forwarded-headers middleware would set it.</summary>
    private string ClientAddress(ConnectionContext connection, string? forwardedFor)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (remote is null)
        {
            return "unknown";
        }

        if (forwardedFor is not null && _server.Http && (IPAddress.IsLoopback(remote) || _server.TrustedProxies.Any(p => IPAddress.Parse(p).Equals(remote))))
        {
            var last = forwardedFor[(forwardedFor.LastIndexOf(',') + 1)..].Trim();
            if (IPEndPoint.TryParse(last, out var forwarded))
            {
                return forwarded.Address.ToString();
            }
        }

        return remote.ToString();
    }

    private static string AcceptKey(string key)
    {
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the handshake; it proves nothing secret.
        return Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
#pragma warning restore CA5350
    }

    private enum Outcome
    {
        Pipeline,
        Take,
        Close,
    }
}
