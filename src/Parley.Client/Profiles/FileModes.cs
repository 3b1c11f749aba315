namespace Parley.Client.Profiles;

/// <summary>
/// Creates directories and files readable only by their owner (0700 / 0600 on Unix), and writes
/// files atomically (temporary file, then rename) so a crash never leaves half a key file.
/// </summary>
public static class FileModes
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and parents) and restricts it to its owner.</summary>
    /// <param name="path">The directory.</param>
    public static void CreatePrivateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, PrivateDirectory);
        File.SetUnixFileMode(path, PrivateDirectory);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically with mode 0600.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="content">The bytes.</param>
    public static void WritePrivateFileAtomically(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Makes sure <paramref name="path"/> exists and is 0600 before a library (SQLite) opens it: creates
    /// it empty with that mode, or narrows an existing file (profiles made by older versions). SQLite
    /// creates the -wal, -shm and -journal files with the database file's mode, so they follow.
    /// </summary>
    /// <param name="path">The file.</param>
    public static void EnsurePrivateFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile }))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there: narrow it (and any companion files an older version left readable) below.
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file) && File.GetUnixFileMode(file) != PrivateFile)
            {
                File.SetUnixFileMode(file, PrivateFile);
            }
        }
    }

    /// <summary>Overwrites a file with zeros, then deletes it; a missing file is not an error.</summary>
    /// <param name="path">The file.</param>
    public static void ShredAndDelete(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(new byte[length]);
            stream.Flush(flushToDisk: true);
        }

        File.Delete(path);
    }
}
