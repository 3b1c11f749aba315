namespace Parley.Server.Hosting;

/// <summary>
/// The resolved, existing data directory. Created on first use with mode 0700 because it holds the
/// TLS private key, the server secret and (with SQLite) every account's verifier.
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
                Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>The absolute path of the data directory.</summary>
    public string Path { get; }

    /// <summary>The absolute path of a file inside the data directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a new secret file readable only by the owner (0600), failing if it already exists.</summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
