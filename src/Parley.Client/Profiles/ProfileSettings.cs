using System.Text.Json.Serialization;

namespace Parley.Client.Profiles;

/// <summary>
/// The non-secret settings of a profile. The pinned fingerprint is here rather than in the sealed
/// store because the connection must be pinned before the password unlocks anything (login).
/// </summary>
public sealed class ProfileSettings
{
    /// <summary>The largest settings file the client will parse.</summary>
    public const int MaxFileSize = 16 * 1024;

    /// <summary>The account's user name.</summary>
    public required string UserName { get; init; }

    /// <summary>The server's base address (https://host:port).</summary>
    public required Uri Server { get; init; }

    /// <summary>The pinned certificate fingerprint, <c>SHA256:hex</c>.</summary>
    public required string ServerFingerprint { get; init; }

    /// <summary>Whether desktop notifications may show message text (off unless the user turns it on).</summary>
    public bool NotificationPreviews { get; set; }
}

/// <summary>Source-generated JSON metadata for the profile files.</summary>
[JsonSerializable(typeof(ProfileSettings))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
