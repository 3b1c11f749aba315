using System.Text.Json.Serialization;

namespace Parley.Client.Api;

/// <summary>Body of <c>PUT /v1/keys</c>: our public keys, each in its Parley.Crypto serialized form, base64.</summary>
internal sealed class KeyUploadBody
{
    [JsonPropertyName("identityKey")]
    public required string IdentityKey { get; init; }

    [JsonPropertyName("suites")]
    public required string Suites { get; init; }

    [JsonPropertyName("signedPreKey")]
    public string? SignedPreKey { get; init; }

    [JsonPropertyName("lastResortKemPreKey")]
    public string? LastResortKemPreKey { get; init; }

    [JsonPropertyName("oneTimePreKeys")]
    public IReadOnlyList<string> OneTimePreKeys { get; init; } = [];

    [JsonPropertyName("kemPreKeys")]
    public IReadOnlyList<string> KemPreKeys { get; init; } = [];

    [JsonPropertyName("replace")]
    public bool Replace { get; init; }
}

/// <summary>Answer of <c>GET /v1/keys/{user}</c>: a serialized <c>PreKeyBundle</c>, base64.</summary>
internal sealed class BundleResponse
{
    [JsonPropertyName("bundle")]
    public string? Bundle { get; init; }
}

/// <summary>Answer of <c>GET /v1/keys</c>: how many of our one-time prekeys the server still holds.</summary>
internal sealed class KeyCountResponse
{
    [JsonPropertyName("oneTimePreKeys")]
    public int OneTimePreKeys { get; init; }

    [JsonPropertyName("kemPreKeys")]
    public int KemPreKeys { get; init; }
}
