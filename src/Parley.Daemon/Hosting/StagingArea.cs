using System.Security.Cryptography;
using System.Text;
using Parley.Client.Profiles;
using Parley.Client.Transfers;

namespace Parley.Daemon.Hosting;

/// <summary>
/// Where the web app's files wait on their way in and out: <c>HOME/staging</c> (0700, files 0600).
/// A browser cannot hand the daemon a path, so an upload is first copied here, then sent with
/// <c>files.send</c> like any file; a download is saved here by <c>files.get</c> (decrypted and
/// verified) and handed to the browser once. An upload's place is derived from the file's name,
/// size and modification time, so sending the same file again after a cancel or a failure resumes
/// its upload; entries older than <see cref="MaxAge"/> are removed when the daemon starts.
/// </summary>
internal sealed class StagingArea
{
    /// <summary>How long an unfinished upload or an unfetched download is kept.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    /// <summary>The largest file the web app may stage (the server's default blob limit).</summary>
    public const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    private const string DownloadPrefix = "down-";
    private const string UploadPrefix = "up-";
    private const int TokenBytes = 16;

    public StagingArea(string homeRoot) => Root = Path.Combine(homeRoot, "staging");

    /// <summary>The directory.</summary>
    public string Root { get; }

    /// <summary>The file an upload of this name, size and time is staged at (its directory is created, private).</summary>
    /// <param name="profile">The profile sending.</param>
    /// <param name="to">The recipient.</param>
    /// <param name="untrustedName">The name the browser gave.</param>
    /// <param name="size">The size in bytes.</param>
    /// <param name="modifiedUnixMs">The file's modification time as the browser knows it.</param>
    /// <returns>The absolute path to write.</returns>
    public string UploadPath(string profile, string to, string untrustedName, long size, long modifiedUnixMs)
    {
        var name = FileNameSanitizer.Sanitize(untrustedName);
        var identity = string.Join('\n', profile, to, name, size.ToString(System.Globalization.CultureInfo.InvariantCulture), modifiedUnixMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, TokenBytes));
        var directory = Path.Combine(Root, UploadPrefix + key);
        FileModes.CreatePrivateDirectory(Root);
        FileModes.CreatePrivateDirectory(directory);
        return Path.Combine(directory, name);
    }

    /// <summary>A new private directory for one download, and the token that fetches it once.</summary>
    public (string Token, string Directory) NewDownload()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenBytes));
        var directory = Path.Combine(Root, DownloadPrefix + token);
        FileModes.CreatePrivateDirectory(Root);
        FileModes.CreatePrivateDirectory(directory);
        return (token, directory);
    }

    /// <summary>The one file a download token names, or null (unknown token, already fetched, or not a token).</summary>
    public string? Download(string token)
    {
        if (token.Length != TokenBytes * 2 || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var directory = Path.Combine(Root, DownloadPrefix + token);
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory).FirstOrDefault() : null;
    }

    /// <summary>Whether <paramref name="path"/> is a file in the staging area.</summary>
    public bool Holds(string path) =>
        Path.IsPathFullyQualified(path) && Path.GetFullPath(path).StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Removes a staged file and its directory (after a finished upload or a served download).</summary>
    public static void Remove(string file)
    {
        var directory = Path.GetDirectoryName(file);
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Removes entries older than <see cref="MaxAge"/>.</summary>
    public void Sweep(DateTime nowUtc)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            if (nowUtc - Directory.GetLastWriteTimeUtc(directory) > MaxAge)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
