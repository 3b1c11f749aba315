namespace Parley.Daemon.Hosting;

/// <summary>
/// One daemon per home: an exclusive lock on a file in the home, held for the daemon's lifetime and
/// released by the kernel when the process ends, even by kill -9 (a lock, not a race on a pid file).
/// </summary>
public sealed class DaemonLock : IDisposable
{
    private readonly FileStream _file;

    private DaemonLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or returns null when another daemon holds it.</summary>
    /// <param name="path">The lock file.</param>
    /// <returns>The held lock, or null.</returns>
    public static DaemonLock? TryAcquire(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new DaemonLock(new FileStream(path, options));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
