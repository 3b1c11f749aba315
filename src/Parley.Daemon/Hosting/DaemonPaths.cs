using System.IO.Hashing;
using System.Text;
using Parley.Client.Profiles;
using Parley.Client.Storage;

namespace Parley.Daemon.Hosting;

/// <summary>
/// Where a home's daemon lives: its Unix socket in the per-user runtime directory (the directory
/// of unlocked keys: <c>$XDG_RUNTIME_DIR/parley</c>, else <c>/tmp/parley-UID</c>, mode 0700), named
/// after a hash of the home's path so two homes never share a daemon; its lock file in the home.
/// </summary>
public static class DaemonPaths
{
    /// <summary>The Unix socket of <paramref name="home"/>'s daemon.</summary>
    /// <param name="home">The installation.</param>
    /// <param name="keys">The per-user runtime directory.</param>
    /// <returns>The socket path (short enough for sockaddr_un).</returns>
    public static string Socket(ParleyHome home, UnlockedKeyCache keys)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(keys);
        // Not a secret and not an authenticator (the directory is the user's own, mode 0700): a
        // non-cryptographic hash keeps OpenSSL from loading in every command that talks to the daemon.
        var hash = XxHash3.Hash(Encoding.UTF8.GetBytes(home.Root));
        return Path.Combine(keys.Directory, "d-" + Convert.ToHexStringLower(hash) + ".sock");
    }

    /// <summary>The lock file that keeps a second daemon off <paramref name="home"/>.</summary>
    /// <param name="home">The installation.</param>
    /// <returns>The path.</returns>
    public static string Lock(ParleyHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return Path.Combine(home.Root, "daemon.lock");
    }
}
