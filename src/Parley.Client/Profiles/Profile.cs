using System.Text.Json;
using Parley.Client.Errors;

namespace Parley.Client.Profiles;

/// <summary>
/// One user's directory inside a <see cref="ParleyHome"/>: <c>profile.json</c> (server address and
/// pinned certificate fingerprint — nothing secret), <c>store.key</c> (the store key wrapped under
/// Argon2id of the password) and <c>store.db</c> (the SQLite store with sealed columns).
/// </summary>
public sealed class Profile
{
    internal Profile(UserName user, string directory)
    {
        User = user;
        Directory = directory;
    }

    /// <summary>The user this profile belongs to.</summary>
    public UserName User { get; }

    /// <summary>The profile's directory.</summary>
    public string Directory { get; }

    /// <summary>Path of the non-secret settings file.</summary>
    public string SettingsPath => Path.Combine(Directory, "profile.json");

    /// <summary>Path of the wrapped store key.</summary>
    public string KeyFilePath => Path.Combine(Directory, "store.key");

    /// <summary>Path of the SQLite store.</summary>
    public string DatabasePath => Path.Combine(Directory, "store.db");

    /// <summary>Path of the device cookie from the last successful login (mode 0600; see docs/SECURITY.md).</summary>
    public string DeviceCookiePath => Path.Combine(Directory, "device.cookie");

    /// <summary>Whether the profile has been created (its settings file exists).</summary>
    public bool Exists => File.Exists(SettingsPath);

    /// <summary>Reads the profile's settings.</summary>
    /// <returns>The settings.</returns>
    /// <exception cref="ParleyClientException">With <see cref="ClientErrorKind.StoreCorrupt"/> when the file cannot be read.</exception>
    public ProfileSettings ReadSettings()
    {
        try
        {
            var bytes = File.ReadAllBytes(SettingsPath);
            if (bytes.Length > ProfileSettings.MaxFileSize)
            {
                throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
            }

            return JsonSerializer.Deserialize(bytes, ProfileJsonContext.Default.ProfileSettings)
                ?? throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt, e);
        }
    }

    /// <summary>Writes the profile's settings atomically.</summary>
    /// <param name="settings">The settings.</param>
    public void WriteSettings(ProfileSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        FileModes.CreatePrivateDirectory(Directory);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(settings, ProfileJsonContext.Default.ProfileSettings);
        FileModes.WritePrivateFileAtomically(SettingsPath, bytes);
    }

    /// <summary>
    /// The device cookie the server issued at this profile's last successful login, or null when there
    /// is none (or the file is unreadable or not a plausible cookie: the login then simply goes untrusted).
    /// </summary>
    /// <returns>The cookie, or null.</returns>
    public string? ReadDeviceCookie()
    {
        try
        {
            if (!File.Exists(DeviceCookiePath) || new FileInfo(DeviceCookiePath).Length > Wire.Rest.DeviceCookieLimits.MaxEncodedLength)
            {
                return null;
            }

            var text = File.ReadAllText(DeviceCookiePath).Trim();
            return text.Length is > 0 and <= Wire.Rest.DeviceCookieLimits.MaxEncodedLength ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Keeps the device cookie a login returned (atomically, mode 0600); null leaves the old one.</summary>
    /// <param name="cookie">The cookie.</param>
    public void WriteDeviceCookie(string? cookie)
    {
        if (cookie is not { Length: > 0 and <= Wire.Rest.DeviceCookieLimits.MaxEncodedLength })
        {
            return;
        }

        FileModes.CreatePrivateDirectory(Directory);
        FileModes.WritePrivateFileAtomically(DeviceCookiePath, System.Text.Encoding.ASCII.GetBytes(cookie));
    }

    /// <summary>Deletes the whole profile directory (used when registration fails half-way).</summary>
    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
