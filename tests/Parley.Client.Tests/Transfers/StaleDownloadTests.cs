using Parley.Client.Transfers;

namespace Parley.Client.Tests.Transfers;

/// <summary>Temporary files of killed downloads are removed later, never those of a running download or other files.</summary>
public sealed class StaleDownloadTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("parley-stale-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Only_old_download_temporaries_are_removed()
    {
        var now = DateTimeOffset.UtcNow;
        string old = Touch(FileDownloader.TemporaryPrefix + new string('a', 32), now - FileDownloader.StaleTemporaryAge - TimeSpan.FromMinutes(1));
        string running = Touch(FileDownloader.TemporaryPrefix + new string('b', 32), now - TimeSpan.FromMinutes(5));
        string other = Touch(FileDownloader.TemporaryPrefix + "user-file.txt", now - TimeSpan.FromDays(30));
        string mine = Touch("report.pdf", now - TimeSpan.FromDays(30));

        Assert.Equal(1, FileDownloader.RemoveStaleTemporaries(directory, now));
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(running));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(mine));
    }

    private string Touch(string name, DateTimeOffset when)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, when.UtcDateTime);
        return path;
    }
}
