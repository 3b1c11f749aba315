using System.Security.Cryptography;
using System.Text;
using Parley.Client.Profiles;

namespace Parley.Client.Storage;

/// <summary>
/// Keeps a profile's unlocked store key between commands in a per-user runtime directory — never
/// beside the store: <c>$XDG_RUNTIME_DIR/parley</c> when set, otherwise <c>/tmp/parley-&lt;uid&gt;</c>;
/// directory mode 0700, files mode 0600. Logout shreds the file. The file name is a hash of the
/// profile's absolute path, so two homes holding the same user never share a key file.
/// </summary>
public sealed class UnlockedKeyCache
{
    /// <summary>The environment variable that overrides the runtime directory (tests use it for isolation).</summary>
    public const string EnvironmentVariable = "PARLEY_RUNTIME_DIR";

    /// <summary>Creates a cache in the given directory (created with mode 0700).</summary>
    /// <param name="directory">The runtime directory.</param>
    public UnlockedKeyCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>The runtime directory.</summary>
    public string Directory { get; }

    /// <summary>The cache at the default per-user runtime location.</summary>
    /// <returns>The cache.</returns>
    public static UnlockedKeyCache ForCurrentUser()
    {
        var explicitDir = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitDir))
        {
            return new UnlockedKeyCache(explicitDir);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrWhiteSpace(xdg) && System.IO.Directory.Exists(xdg))
        {
            return new UnlockedKeyCache(Path.Combine(xdg, "parley"));
        }

        var uid = OperatingSystem.IsWindows() ? Environment.UserName : GetUnixUserId();
        return new UnlockedKeyCache(Path.Combine(Path.GetTempPath(), "parley-" + uid));
    }

    /// <summary>Stores the unlocked key for <paramref name="profile"/>.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="key">Its store key.</param>
    public void Save(Profile profile, StoreKey key)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(key);
        EnsurePrivateDirectory();
        FileModes.WritePrivateFileAtomically(PathFor(profile), key.Bytes);
    }

    /// <summary>Loads the unlocked key for <paramref name="profile"/>, or null when logged out.</summary>
    /// <param name="profile">The profile.</param>
    /// <returns>The key, or null.</returns>
    public StoreKey? TryLoad(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var path = PathFor(profile);
        if (!File.Exists(path) || new FileInfo(path).Length != StoreKey.Size)
        {
            return null;
        }

        var raw = File.ReadAllBytes(path);
        try
        {
            return StoreKey.FromBytes(raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>Forgets the unlocked key for <paramref name="profile"/> (overwrites, then deletes).</summary>
    /// <param name="profile">The profile.</param>
    public void Forget(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        FileModes.ShredAndDelete(PathFor(profile));
    }

    /// <summary>The file that holds <paramref name="profile"/>'s key.</summary>
    /// <param name="profile">The profile.</param>
    /// <returns>The path.</returns>
    public string PathFor(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(profile.Directory)));
        return Path.Combine(Directory, Convert.ToHexStringLower(hash.AsSpan(0, 16)) + ".key");
    }

    private void EnsurePrivateDirectory()
    {
        FileModes.CreatePrivateDirectory(Directory);
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(Directory) != (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute))
        {
            throw new IOException("The runtime directory is not private.");
        }
    }

    private static string GetUnixUserId()
    {
        // The uid is what makes /tmp/parley-<uid> per user; .NET exposes no uid, Linux's procfs does.
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 1 && uint.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var uid))
                    {
                        return uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.UserName)).AsSpan(0, 8));
    }
}
