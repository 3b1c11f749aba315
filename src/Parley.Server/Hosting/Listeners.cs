using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Parley.Server.Metrics;

namespace Parley.Server.Hosting;

/// <summary>
/// Where the server listens: the public addresses (<c>--urls</c>, default <c>https://127.0.0.1:8443</c>)
/// and the metrics listener (<see cref="MetricsOptions.Urls"/>, default <c>http://127.0.0.1:9464</c>).
/// Both are bound explicitly on Kestrel; a connection accepted on a metrics address is marked, and
/// only marked connections can reach <c>/metrics</c> (the public port answers 404 there).
/// </summary>
public sealed class Listeners
{
    private const string MetricsConnectionKey = "Parley.MetricsListener";
    private readonly List<ListenOptions> _metricsBound = [];

    private Listeners(IReadOnlyList<Uri> publicUrls, IReadOnlyList<Uri> metricsUrls)
    {
        PublicUrls = publicUrls;
        MetricsUrls = metricsUrls;
    }

    /// <summary>The public addresses.</summary>
    public IReadOnlyList<Uri> PublicUrls { get; }

    /// <summary>The metrics addresses (empty when metrics are off).</summary>
    public IReadOnlyList<Uri> MetricsUrls { get; }

    /// <summary>The ports the metrics listener actually bound (known once the server has started).</summary>
    public IReadOnlyList<int> MetricsPorts => [.. _metricsBound.Select(l => l.IPEndPoint?.Port ?? 0)];

    /// <summary>
    /// Reads and checks the addresses from configuration. Throws <see cref="ServerConfigurationException"/>
    /// for a malformed address, plain HTTP without <c>--http</c>, or a metrics address off the
    /// loopback interface without <c>Metrics:BearerToken</c>.
    /// </summary>
    public static Listeners FromConfiguration(string? urls, ParleyServerOptions server, MetricsOptions metrics)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(metrics);
        var defaultUrl = server.Http ? ParleyServerOptions.DefaultHttpUrl : ParleyServerOptions.DefaultHttpsUrl;
        var publicUrls = Parse("urls", urls is { Length: > 0 } ? urls : defaultUrl);
        if (!server.Http && publicUrls.Any(u => u.Scheme == Uri.UriSchemeHttp))
        {
            throw new ServerConfigurationException(
                "Refusing to listen on plain HTTP; pass --http (Parley:Http=true) when a TLS proxy is in front.");
        }
        var metricsUrls = metrics.IsDisabled ? [] : Parse("Metrics:Urls", metrics.Urls);
        if (metrics.BearerToken is not { Length: > 0 } && metricsUrls.Any(u => !IsLoopback(u)))
        {
            throw new ServerConfigurationException(
                "Metrics:Urls leaves the loopback interface; set Metrics:BearerToken too, or bind it to 127.0.0.1.");
        }
        var clash = metricsUrls.FirstOrDefault(m => m.Port != 0 && publicUrls.Any(p => p.Port == m.Port));
        if (clash is not null)
        {
            throw new ServerConfigurationException("Metrics:Urls uses port " + clash.Port + ", which the public address already uses.");
        }
        return new Listeners(publicUrls, metricsUrls);
    }

    /// <summary>True when the request arrived on the metrics listener.</summary>
    public static bool IsMetricsConnection(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(MetricsConnectionKey) == true;
    }

    /// <summary>
    /// Binds every address on Kestrel: TLS 1.3 with the server certificate on https ones, followed by
    /// <paramref name="tlsBuffers"/> (OpenSSL's record buffers freed while idle); the public ones also
    /// run the features' connection middleware (after TLS, before HTTP).
    /// </summary>
    public void Bind(KestrelServerOptions kestrel, Func<System.Security.Cryptography.X509Certificates.X509Certificate2> certificate,
        IEnumerable<IPublicConnectionMiddleware> connectionMiddleware, TlsBufferRelease tlsBuffers)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(tlsBuffers);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(connectionMiddleware);
        var middleware = connectionMiddleware.ToList();
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate();
            https.SslProtocols = SslProtocols.Tls13;
        });
        foreach (var url in PublicUrls)
        {
            Listen(kestrel, url, listen =>
            {
                UseScheme(listen, url, tlsBuffers);
                foreach (var m in middleware)
                {
                    listen.Use(next => m.Wrap(next, kestrel.Limits));
                }
            });
        }
        foreach (var url in MetricsUrls)
        {
            Listen(kestrel, url, listen =>
            {
                _metricsBound.Add(listen);
                listen.Use(next => connection =>
                {
                    connection.Items[MetricsConnectionKey] = true;
                    return next(connection);
                });
                UseScheme(listen, url, tlsBuffers);
            });
        }
    }

    private static void UseScheme(ListenOptions listen, Uri url, TlsBufferRelease tlsBuffers)
    {
        if (url.Scheme == Uri.UriSchemeHttps)
        {
            listen.UseHttps();
            listen.Use(tlsBuffers.Wrap);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, Action<ListenOptions> configure)
    {
        var host = url.Host.Trim('[', ']');
        if (host == "localhost")
        {
            kestrel.ListenLocalhost(url.Port, configure);
        }
        else if (host is "*" or "+" || (IPAddress.TryParse(host, out var any) && (any.Equals(IPAddress.Any) || any.Equals(IPAddress.IPv6Any))))
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), url.Port, configure);
        }
    }

    private static List<Uri> Parse(string key, string value)
    {
        var result = new List<Uri>();
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "*" and "+" are Kestrel's wildcards; Uri does not accept them as hosts.
            var normalized = part.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && uri.Host != "localhost")
                || uri.AbsolutePath != "/" || normalized.EndsWith(':'))
            {
                throw new ServerConfigurationException(
                    key + " must be a list of http:// or https:// addresses with an IP address (or localhost) and a port, separated by ';'.");
            }
            result.Add(uri);
        }
        if (result.Count == 0)
        {
            throw new ServerConfigurationException(key + " names no address.");
        }
        return result;
    }

    private static bool IsLoopback(Uri url) =>
        url.Host == "localhost" || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
