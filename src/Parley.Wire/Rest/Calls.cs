using System.Text.Json.Serialization;

namespace Parley.Wire.Rest;

/// <summary>
/// The call feature's REST contract: the TURN credential route, its response and its problem slug
/// (docs/PROTOCOL.md, "Calls"). Media and signalling never touch the server; only the relay
/// credentials come from it.
/// </summary>
public static class CallRoutes
{
    /// <summary><c>GET</c>: short-lived TURN credentials for the caller (authenticated, rate-limited).</summary>
    public const string TurnCredentials = "/v1/calls/turn";

    /// <summary>Problem slug (404) when the server has no TURN relay configured.</summary>
    public const string NotConfiguredProblem = "calls-not-configured";

    /// <summary>The longest lifetime of a TURN credential: one day (the server's upper bound, the client's check).</summary>
    public static readonly TimeSpan MaxCredentialLifetime = TimeSpan.FromDays(1);
}

/// <summary>
/// Which TURN URIs the contract allows, for the server's configuration check and the client's check
/// of what it receives alike: RFC 7065 <c>turn:</c> or <c>turns:</c> with a host, printable ASCII
/// without spaces — never <c>stun:</c>, so no server can make a client reveal its address to a STUN server.
/// </summary>
public static class TurnUriRules
{
    /// <summary>Most URIs in a configuration or an answer.</summary>
    public const int MaxUris = 8;

    /// <summary>Longest URI.</summary>
    public const int MaxLength = 256;

    /// <summary>Whether <paramref name="uri"/> is an allowed TURN URI.</summary>
    public static bool IsValid(string? uri)
    {
        if (string.IsNullOrEmpty(uri) || uri.Length > MaxLength || uri.Any(c => c <= ' ' || c >= (char)0x7f))
        {
            return false;
        }
        var rest = uri.StartsWith("turn:", StringComparison.Ordinal) ? uri[5..]
            : uri.StartsWith("turns:", StringComparison.Ordinal) ? uri[6..]
            : null;
        return rest is { Length: > 0 } && rest[0] is not (':' or '?' or '/');
    }
}

/// <summary>
/// Response of <c>GET /v1/calls/turn</c>, in the shape of the "TURN REST API" draft
/// (draft-uberti-behave-turn-rest-00) that coturn's <c>use-auth-secret</c> implements:
/// <see cref="Username"/> is <c>EXPIRY:OPAQUE</c> — the expiry in Unix seconds, a colon and 22
/// characters of unpadded base64url from 16 random bytes, never the account's name — and
/// <see cref="Password"/> is base64(HMAC-SHA1(shared secret, UTF-8 username)).
/// </summary>
public sealed class TurnCredentials
{
    /// <summary>The TURN username, <c>EXPIRY:OPAQUE</c>.</summary>
    [JsonPropertyName("username")]
    public required string Username { get; init; }

    /// <summary>The TURN password (standard base64 with padding, 28 characters).</summary>
    [JsonPropertyName("password")]
    public required string Password { get; init; }

    /// <summary>Seconds the credential stays valid from the moment it was issued.</summary>
    [JsonPropertyName("ttl")]
    public required long TtlSeconds { get; init; }

    /// <summary>The expiry in the username, as Unix milliseconds (for display and refresh decisions).</summary>
    [JsonPropertyName("expiresAtMs")]
    public required long ExpiresAtMs { get; init; }

    /// <summary>The TURN server URIs (RFC 7065 <c>turn:</c> / <c>turns:</c>), in the operator's order.</summary>
    [JsonPropertyName("uris")]
    public required IReadOnlyList<string> Uris { get; init; }
}
