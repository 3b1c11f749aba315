using Microsoft.AspNetCore.Http;

namespace Parley.Daemon.Hosting;

/// <summary>
/// The checks every TCP request passes before anything else: the Host header must name the loopback
/// listener exactly (127.0.0.1:PORT, localhost:PORT or [::1]:PORT — DNS rebinding gets 400); an
/// Origin, when present, must be that same origin over http (a cross-site page, or Origin
/// <c>null</c>, gets 403); API calls carry the secret. Responses carry a strict CSP and no CORS headers.
/// </summary>
internal sealed class HttpGuard(DaemonSecret secret, Func<int> port)
{
    /// <summary>The WebSocket subprotocol of the API.</summary>
    public const string Protocol = "parley.v1";

    /// <summary>The subprotocol prefix that carries the secret (a browser cannot set headers on a WebSocket).</summary>
    public const string TokenProtocolPrefix = "parley-token.";

    /// <summary>The Content-Security-Policy of everything served.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public DaemonSecret Secret => secret;

    public static void AddSecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    /// <summary>The status code to refuse the request with, or null to let it through.</summary>
    public int? Reject(HttpRequest request)
    {
        var host = request.Headers.Host.ToString();
        if (!IsAllowedHost(host))
        {
            return StatusCodes.Status400BadRequest;
        }

        var origins = request.Headers.Origin;
        if (origins.Count > 1 || (origins.Count == 1 && !string.Equals(origins[0], "http://" + host, StringComparison.Ordinal)))
        {
            return StatusCodes.Status403Forbidden;
        }

        return null;
    }

    public bool HasBearer(HttpRequest request)
    {
        var value = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return value.StartsWith(Scheme, StringComparison.Ordinal) && secret.Matches(value[Scheme.Length..]);
    }

    private bool IsAllowedHost(string host)
    {
        var p = port().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return host == "127.0.0.1:" + p || host == "localhost:" + p || host == "[::1]:" + p;
    }
}
