using Microsoft.Win32.SafeHandles;

namespace Parley.IO;

/// <summary>
/// Pushes a file's written bytes to disk in the background while more bytes arrive (fsync on a pool
/// thread every <see cref="FlushEveryBytes"/>), so the fsync that must precede recording an offset
/// finds little left to write. It only shortens that final fsync; durability still rests on it.
/// </summary>
internal sealed class DiskFlusher
{
    /// <summary>Bytes written between two background flushes.</summary>
    public const long FlushEveryBytes = 16L * 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private long _sinceLast;
    private Task _running = Task.CompletedTask;

    public DiskFlusher(FileStream file) => _handle = file.SafeFileHandle;

    /// <summary>Counts written bytes and starts a background flush when enough have accumulated and none is running.</summary>
    public void Written(int count)
    {
        _sinceLast += count;
        if (_sinceLast >= FlushEveryBytes && _running.IsCompleted)
        {
            _sinceLast = 0;
            _running = Task.Run(() => RandomAccess.FlushToDisk(_handle));
        }
    }

    /// <summary>Waits for a running background flush (call before the file is flushed for good or closed).</summary>
    public async Task DrainAsync()
    {
        try
        {
            await _running;
        }
        catch (IOException)
        {
            // The final, awaited fsync reports any real disk error.
        }
    }
}
