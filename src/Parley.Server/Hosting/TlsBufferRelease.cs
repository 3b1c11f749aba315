using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;
using Parley.Server.Metrics;
using Prometheus;

namespace Parley.Server.Hosting;

/// <summary>
/// The connection middleware that goes right after <c>UseHttps</c> on every https listener: once a
/// connection's handshake is done, and before the HTTP layer or the relay reads a byte, it lets OpenSSL
/// free the connection's record buffers while they are empty (<see cref="OpenSslIdleBuffers"/>), unless
/// <see cref="TlsOptions.ReleaseIdleBuffers"/> is off. Counted in
/// <c>parley_tls_connections_total{idle_buffers="released"|"kept"}</c>; a runtime where it cannot be done
/// is logged once.
/// </summary>
public sealed partial class TlsBufferRelease
{
    private readonly ILogger<TlsBufferRelease> _logger;
    private readonly bool _enabled;
    private readonly Counter.Child _released;
    private readonly Counter.Child _kept;
    private int _reportedUnavailable;

    /// <summary>Creates the middleware (one per server).</summary>
    public TlsBufferRelease(IOptions<TlsOptions> options, ParleyMetrics metrics, ILogger<TlsBufferRelease> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _enabled = options.Value.ReleaseIdleBuffers;
        _logger = logger;
        var connections = metrics.Factory.CreateCounter("parley_tls_connections_total",
            "TLS connections accepted in process, by whether OpenSSL frees their record buffers while idle (SSL_MODE_RELEASE_BUFFERS).",
            new CounterConfiguration { LabelNames = ["idle_buffers"] });
        _released = connections.WithLabels("released");
        _kept = connections.WithLabels("kept");
    }

    /// <summary>Wraps the rest of a TLS listener's connection pipeline.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return connection =>
        {
            if (connection.Features.Get<ISslStreamFeature>()?.SslStream is { } tls)
            {
                if (_enabled && OpenSslIdleBuffers.Enable(tls))
                {
                    _released.Inc();
                }
                else
                {
                    _kept.Inc();
                    if (_enabled && Interlocked.Exchange(ref _reportedUnavailable, 1) == 0)
                    {
                        LogUnavailable(_logger);
                    }
                }
            }
            return next(connection);
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS record buffers cannot be released while connections are idle on this runtime " +
        "(SSL_MODE_RELEASE_BUFFERS not settable): each idle TLS connection keeps its two record buffers (34 KB allocated, about 16 KB resident); terminating TLS in nginx avoids it")]
    private static partial void LogUnavailable(ILogger logger);
}
