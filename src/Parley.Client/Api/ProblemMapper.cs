using System.Net;
using System.Text.Json.Serialization;
using Parley.Client.Errors;

namespace Parley.Client.Api;

/// <summary>The fields of an RFC 9457 problem response the client looks at.</summary>
internal sealed class ProblemBody
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("title")]
    public string? Title { get; set; }
}

/// <summary>Source-generated JSON for <see cref="ProblemBody"/> (no reflection at run time).</summary>
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class ProblemJsonContext : JsonSerializerContext;

/// <summary>Maps HTTP status and problem type to the client's error kinds, in one place.</summary>
internal static class ProblemMapper
{
    private const string Prefix = "urn:parley:problem:";

    public static ClientErrorKind Map(HttpStatusCode status, ProblemBody? problem)
    {
        var type = problem?.Type is { } t && t.StartsWith(Prefix, StringComparison.Ordinal) ? t[Prefix.Length..] : string.Empty;
        var title = problem?.Title ?? string.Empty;
        return (status, type) switch
        {
            (HttpStatusCode.Unauthorized, _) => ClientErrorKind.NotLoggedIn,
            (_, Parley.Wire.Rest.CallRoutes.NotConfiguredProblem) => ClientErrorKind.CallsNotConfigured,
            (_, "contact-blocked" or "blocked") => ClientErrorKind.Blocked,
            (_, "user-exists" or "username-taken") => ClientErrorKind.UserExists,
            (_, "weak-password") => ClientErrorKind.WeakPassword,
            (_, "bad-proof" or "wrong-password" or "authentication-failed") => ClientErrorKind.WrongPassword,
            (_, "no-such-user" or "unknown-user") => ClientErrorKind.UserDoesNotExist,
            (_, "no-pending-request") => ClientErrorKind.NoPendingRequest,
            (HttpStatusCode.NotFound, _) when title.StartsWith("No such", StringComparison.OrdinalIgnoreCase) => ClientErrorKind.UserDoesNotExist,
            (HttpStatusCode.NotFound, _) => ClientErrorKind.NotAContact,
            (HttpStatusCode.TooManyRequests or HttpStatusCode.Forbidden, _) => ClientErrorKind.Refused,
            (>= HttpStatusCode.InternalServerError, _) => ClientErrorKind.ServerUnreachable,
            _ => ClientErrorKind.Refused,
        };
    }
}
