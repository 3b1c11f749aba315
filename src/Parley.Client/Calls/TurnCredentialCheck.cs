using System.Buffers.Text;
using System.Globalization;
using Parley.Wire.Rest;

namespace Parley.Client.Calls;

/// <summary>
/// What the client accepts from <c>GET /v1/calls/turn</c> (docs/PROTOCOL.md 10B.1) before a browser
/// is configured with it: a username <c>EXPIRY:OPAQUE</c> whose expiry matches <c>expiresAtMs</c> and
/// lies in the future, a 20-byte HMAC in base64, a lifetime of at most one day, and only
/// <c>turn:</c>/<c>turns:</c> URIs — a server cannot slip in a STUN server (which would reveal the
/// user's address to it) or anything that is not a relay.
/// </summary>
public static class TurnCredentialCheck
{
    /// <summary>Longest lifetime accepted: the contract's one day.</summary>
    public static readonly TimeSpan MaxLifetime = CallRoutes.MaxCredentialLifetime;

    /// <summary>Most URIs accepted (the contract's <see cref="TurnUriRules.MaxUris"/>).</summary>
    public const int MaxUris = TurnUriRules.MaxUris;

    /// <summary>Longest URI accepted (the contract's <see cref="TurnUriRules.MaxLength"/>).</summary>
    public const int MaxUriLength = TurnUriRules.MaxLength;

    /// <summary>Longest opaque part of the username accepted.</summary>
    public const int MaxOpaqueLength = 64;

    /// <summary>Whether <paramref name="credentials"/> is well-formed and unexpired at <paramref name="now"/>.</summary>
    public static bool IsValid(TurnCredentials? credentials, DateTimeOffset now)
    {
        if (credentials?.Username is not { } username || credentials.Password is not { } password || credentials.Uris is not { } uris)
        {
            return false;
        }
        var colon = username.IndexOf(':', StringComparison.Ordinal);
        if (colon is < 1 or > 19
            || !long.TryParse(username.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            || !IsOpaque(username.AsSpan(colon + 1))
            || expiry > long.MaxValue / 1000 || credentials.ExpiresAtMs != expiry * 1000
            || expiry <= now.ToUnixTimeSeconds() || expiry - now.ToUnixTimeSeconds() > (long)MaxLifetime.TotalSeconds)
        {
            return false;
        }
        if (credentials.TtlSeconds is < 1 || credentials.TtlSeconds > (long)MaxLifetime.TotalSeconds)
        {
            return false;
        }
        if (password.Length != 28 || !Base64.IsValid(password, out var decoded) || decoded != 20)
        {
            return false;
        }
        return uris.Count is > 0 and <= MaxUris && uris.All(TurnUriRules.IsValid);
    }

    private static bool IsOpaque(ReadOnlySpan<char> opaque)
    {
        if (opaque.Length is 0 or > MaxOpaqueLength)
        {
            return false;
        }
        foreach (var c in opaque)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }
        return true;
    }
}
