namespace Parley.Server.Relay;

/// <summary>
/// Cross-site WebSocket hijacking defence: native clients send no Origin and are allowed (they
/// authenticate with an explicit bearer token, never an ambient cookie); a browser Origin must be the
/// server's own scheme and host or one of the configured origins.
/// </summary>
public static class OriginPolicy
{
    /// <summary>Whether the request's Origin may open the socket.</summary>
    public static bool IsAllowed(HttpRequest request, IEnumerable<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return true;
        }

        if (origins.Count > 1)
        {
            return false;
        }

        var origin = origins[0];
        if (string.IsNullOrEmpty(origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        if (string.Equals(origin.TrimEnd('/'), own, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IsListed(origin, allowedOrigins);
    }

    /// <summary>Whether the Origin is one of the configured origins (the server's own is not checked here).</summary>
    public static bool IsListed(string origin, IEnumerable<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        if (string.IsNullOrEmpty(origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return allowedOrigins.Any(allowed => string.Equals(allowed.TrimEnd('/'), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
    }
}
