using System.Text;
using Parley.Client.Errors;

namespace Parley.Client.Profiles;

/// <summary>
/// The installation directory: several profiles (one per user) live under <c>profiles/</c>, and a
/// small <c>current</c> file names the profile commands act on by default.
/// </summary>
public sealed class ParleyHome
{
    /// <summary>The environment variable that overrides the default home directory.</summary>
    public const string EnvironmentVariable = "PARLEY_HOME";

    private const string CurrentFileName = "current";

    /// <summary>Opens (and creates if needed) the home at <paramref name="root"/>.</summary>
    /// <param name="root">The directory; created with mode 0700 when missing.</param>
    public ParleyHome(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        FileModes.CreatePrivateDirectory(Root);
        FileModes.CreatePrivateDirectory(ProfilesDirectory);
    }

    /// <summary>The absolute path of the home directory.</summary>
    public string Root { get; }

    private string ProfilesDirectory => Path.Combine(Root, "profiles");

    /// <summary>
    /// Resolves the home directory: the explicit option, else <c>PARLEY_HOME</c>, else
    /// <c>$XDG_DATA_HOME/parley</c>, else <c>~/.local/share/parley</c>.
    /// </summary>
    /// <param name="explicitHome">The value of <c>--home</c>, if given.</param>
    /// <returns>The directory to use.</returns>
    public static string ResolveRoot(string? explicitHome)
    {
        if (!string.IsNullOrWhiteSpace(explicitHome))
        {
            return explicitHome;
        }

        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "parley");
        }

        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(data, "parley");
    }

    /// <summary>The directory of <paramref name="user"/>'s profile (it may not exist yet).</summary>
    /// <param name="user">The profile's user name.</param>
    /// <returns>The profile.</returns>
    public Profile GetProfile(UserName user) => new(user, Path.Combine(ProfilesDirectory, user.Value));

    /// <summary>Lists the profiles that exist in this home.</summary>
    /// <returns>The user names, sorted.</returns>
    public IReadOnlyList<UserName> ListProfiles()
    {
        var names = new List<UserName>();
        foreach (var dir in Directory.EnumerateDirectories(ProfilesDirectory))
        {
            if (UserName.TryParse(Path.GetFileName(dir), out var name) && GetProfile(name).Exists)
            {
                names.Add(name);
            }
        }

        names.Sort((a, b) => string.CompareOrdinal(a.Value, b.Value));
        return names;
    }

    /// <summary>The profile commands act on by default, or null when none is selected.</summary>
    /// <returns>The current profile.</returns>
    public Profile? GetCurrentProfile()
    {
        var path = Path.Combine(Root, CurrentFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path, Encoding.UTF8).Trim();
        return UserName.TryParse(text, out var name) && GetProfile(name).Exists ? GetProfile(name) : null;
    }

    /// <summary>Selects the profile commands act on by default.</summary>
    /// <param name="user">The profile's user name.</param>
    public void SetCurrentProfile(UserName user)
    {
        FileModes.WritePrivateFileAtomically(Path.Combine(Root, CurrentFileName), Encoding.UTF8.GetBytes(user.Value));
    }

    /// <summary>Clears the current profile selection if it names <paramref name="user"/>.</summary>
    /// <param name="user">The profile being logged out.</param>
    public void ClearCurrentProfile(UserName user)
    {
        if (GetCurrentProfile()?.User == user)
        {
            File.Delete(Path.Combine(Root, CurrentFileName));
        }
    }

    /// <summary>The profile named by <paramref name="user"/> if given, else the current one.</summary>
    /// <param name="user">An explicit user name or null.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ParleyClientException">With <see cref="ClientErrorKind.NotLoggedIn"/> when there is no such profile.</exception>
    public Profile RequireProfile(string? user)
    {
        var profile = user is null ? GetCurrentProfile() : GetProfile(UserName.Parse(user));
        if (profile is null || !profile.Exists)
        {
            throw new ParleyClientException(ClientErrorKind.NotLoggedIn);
        }

        return profile;
    }
}
