using System.Text.Json;

namespace Parley.Wire.Rest;

/// <summary>
/// The JSON conventions of the REST API (<c>/v1/…</c>): ASP.NET Core's web defaults — camelCase
/// property names, case-insensitive reading, numbers as JSON numbers. Binary values (salts,
/// verifiers, SRP values, keys) are standard base64 strings with padding; SRP big integers are the
/// unsigned big-endian bytes without leading zeros. Errors are RFC 7807 problem documents
/// (<c>application/problem+json</c>) whose <c>type</c> is <c>urn:parley:problem:{slug}</c>.
/// </summary>
public static class RestJson
{
    /// <summary>Serializer options matching the server.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Prefix of every problem <c>type</c>.</summary>
    public const string ProblemTypePrefix = "urn:parley:problem:";
}
