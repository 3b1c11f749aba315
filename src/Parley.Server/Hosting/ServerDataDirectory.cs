namespace Parley.Server.Hosting;

/// <summary>
/// The resolved, existing data directory. Created on first use with mode 0700 (an existing one and
/// the files in it are narrowed to 0700/0600 when group or others have access) because it holds the TLS private key, the
/// server secret and (with SQLite) every account's verifier.
/// </summary>
public sealed class ServerDataDirectory
{
    /// <summary>Resolves <paramref name="configured"/> against the working directory and creates it if missing.</summary>
    public ServerDataDirectory(string configured)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configured);
        Path = System.IO.Path.GetFullPath(configured);
        if (!Directory.Exists(Path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Path);
            }
            else
            {
                Directory.CreateDirectory(Path, OwnerOnlyDirectory);
            }
        }
        else if (!OperatingSystem.IsWindows())
        {
            NarrowExisting(Path);
        }
    }

    /// <summary>rwx for the owner only (0700).</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only (0600).</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// A directory (and files) left readable by group or others, by an operator or an older version
    /// that relied on the umask, is narrowed to 0700 (files 0600) before anything is read from it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void NarrowExisting(string path)
    {
        if ((System.IO.File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            System.IO.File.SetUnixFileMode(path, OwnerOnlyDirectory);
        }
        foreach (var file in Directory.EnumerateFiles(path))
        {
            if ((System.IO.File.GetUnixFileMode(file) & GroupOrOther) != 0)
            {
                System.IO.File.SetUnixFileMode(file, OwnerOnlyFile);
            }
        }
    }

    /// <summary>The absolute path of the data directory.</summary>
    public string Path { get; }

    /// <summary>The absolute path of a file inside the data directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Creates <paramref name="path"/> empty with mode 0600 if it does not exist, and narrows an
    /// existing file to 0600. Used for the SQLite database before SQLite opens it: SQLite gives its
    /// -wal and -shm files the database file's mode, so all three end up owner-only.
    /// </summary>
    public static void EnsurePrivateFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile };
            using var created = new FileStream(path, options);
        }
        catch (IOException) when (System.IO.File.Exists(path))
        {
            // Already there (possibly from an older version that left it 0644): narrow it below.
        }
        if ((System.IO.File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            System.IO.File.SetUnixFileMode(path, OwnerOnlyFile);
        }
    }

    /// <summary>Writes a new secret file readable only by the owner (0600), failing if it already exists.</summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
