using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Files;
using Parley.Server.Storage.Sqlite;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Files.Scenarios;

/// <summary>
/// The file service over real SQLite and the real blob directory with a hand-moved clock: an
/// interrupted body keeps what arrived, blobs expire after their TTL, abandoned uploads are cleaned,
/// an account's files go with it, and two writers never share an upload.
/// </summary>
public sealed class LifecycleScenarios : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory directory = new();
    private readonly ManualClock clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    private readonly LocalBlobStore blobs;
    private readonly SqlFileStore files;
    private readonly FileService service;
    private readonly SqliteDatabase database;

    public LifecycleScenarios()
    {
        database = TestDatabases.Sqlite(directory);
        blobs = new LocalBlobStore(Path.Combine(directory.Path, "blobs"));
        files = new SqlFileStore(database);
        service = new FileService(files, blobs, Options.Create(new FilesOptions()), clock, NullLogger<FileService>.Instance);
    }

    public Task InitializeAsync() => TestDatabases.MigrateAsync(database, [new FilesMigrations()]).WaitAsync(Wait);

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_interrupted_body_keeps_the_bytes_that_arrived_and_the_upload_resumes_there()
    {
        var record = (await service.CreateAsync("1", 100_000, CancellationToken.None).WaitAsync(Wait)).Value!;
        byte[] data = RandomNumberGenerator.GetBytes(100_000);
        using var broken = new BreakingStream(data, breakAfter: 30_000);
        await Assert.ThrowsAsync<IOException>(() => service.AppendAsync("1", record.Id, 0, broken, CancellationToken.None).WaitAsync(Wait));

        var status = (await service.GetStatusAsync("1", record.Id, CancellationToken.None).WaitAsync(Wait)).Value!;
        Assert.Equal(30_000, status.Offset);
        using var rest = new MemoryStream(data[30_000..]);
        var done = await service.AppendAsync("1", record.Id, 30_000, rest, CancellationToken.None).WaitAsync(Wait);
        Assert.True(done.Value!.IsComplete);
        await using var stored = (await service.OpenDownloadAsync(record.Id, CancellationToken.None).WaitAsync(Wait)).Value!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy).WaitAsync(Wait);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task A_complete_blob_lives_for_its_ttl_and_is_then_removed_from_disk()
    {
        var id = await UploadAsync("1", 1000);
        clock.Advance(FilesOptions.DefaultBlobTtl - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await service.RemoveExpiredAsync(CancellationToken.None).WaitAsync(Wait));
        Assert.True((await service.OpenDownloadAsync(id, CancellationToken.None).WaitAsync(Wait)).Value is { } open && Dispose(open));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(FileError.NotFound, (await service.OpenDownloadAsync(id, CancellationToken.None).WaitAsync(Wait)).Error);
        Assert.Equal(1, await service.RemoveExpiredAsync(CancellationToken.None).WaitAsync(Wait));
        Assert.Null(await files.GetAsync(id, CancellationToken.None).WaitAsync(Wait));
        Assert.False(File.Exists(blobs.FinalPath(id)));
    }

    [Fact]
    public async Task An_abandoned_partial_upload_is_cleaned_and_progress_extends_its_life()
    {
        var record = (await service.CreateAsync("1", 1000, CancellationToken.None).WaitAsync(Wait)).Value!;
        clock.Advance(FilesOptions.DefaultPartialUploadTtl / 2);
        using (var some = new MemoryStream(new byte[10]))
        {
            await service.AppendAsync("1", record.Id, 0, some, CancellationToken.None).WaitAsync(Wait);
        }

        clock.Advance(FilesOptions.DefaultPartialUploadTtl / 2);
        Assert.Equal(0, await service.RemoveExpiredAsync(CancellationToken.None).WaitAsync(Wait));
        clock.Advance(FilesOptions.DefaultPartialUploadTtl / 2);
        Assert.Equal(1, await service.RemoveExpiredAsync(CancellationToken.None).WaitAsync(Wait));
        Assert.False(File.Exists(blobs.PartialPath(record.Id)));
    }

    [Fact]
    public async Task Expired_uploads_free_the_quota()
    {
        var limited = new FileService(files, blobs, Options.Create(new FilesOptions { QuotaBytesPerAccount = 1000 }), clock, NullLogger<FileService>.Instance);
        Assert.True((await limited.CreateAsync("7", 1000, CancellationToken.None).WaitAsync(Wait)).Succeeded);
        Assert.Equal(FileError.QuotaExceeded, (await limited.CreateAsync("7", 1, CancellationToken.None).WaitAsync(Wait)).Error);
        clock.Advance(FilesOptions.DefaultPartialUploadTtl);
        Assert.True((await limited.CreateAsync("7", 1, CancellationToken.None).WaitAsync(Wait)).Succeeded);
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_files_only()
    {
        var mine = await UploadAsync("5", 10);
        var theirs = await UploadAsync("6", 10);
        Assert.Equal(1, await service.DeleteAccountFilesAsync("5", CancellationToken.None).WaitAsync(Wait));
        Assert.False(File.Exists(blobs.FinalPath(mine)));
        Assert.True(File.Exists(blobs.FinalPath(theirs)));
    }

    [Fact]
    public async Task A_second_writer_on_the_same_upload_is_refused_while_the_first_streams()
    {
        var record = (await service.CreateAsync("1", 1000, CancellationToken.None).WaitAsync(Wait)).Value!;
        using var slow = new GatedStream(new byte[500]);
        Task<FileResult<FileRecord>> first = service.AppendAsync("1", record.Id, 0, slow, CancellationToken.None);
        await slow.Started.WaitAsync(Wait);
        using var other = new MemoryStream(new byte[10]);
        Assert.Equal(FileError.Busy, (await service.AppendAsync("1", record.Id, 0, other, CancellationToken.None).WaitAsync(Wait)).Error);
        slow.Release();
        Assert.Equal(500, (await first.WaitAsync(Wait)).Value!.Offset);
    }

    private async Task<BlobId> UploadAsync(string owner, int length)
    {
        var record = (await service.CreateAsync(owner, length, CancellationToken.None).WaitAsync(Wait)).Value!;
        using var body = new MemoryStream(new byte[length]);
        Assert.True((await service.AppendAsync(owner, record.Id, 0, body, CancellationToken.None).WaitAsync(Wait)).Value!.IsComplete);
        return record.Id;
    }

    private static bool Dispose(Stream stream)
    {
        stream.Dispose();
        return true;
    }

    /// <summary>A request body whose connection drops after a given number of bytes.</summary>
    private sealed class BreakingStream(byte[] data, int breakAfter) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => Position >= breakAfter
            ? throw new IOException("connection reset")
            : base.Read(buffer[..(int)Math.Min(buffer.Length, breakAfter - Position)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    /// <summary>A body that signals when reading starts and ends only when the test releases it.</summary>
    private sealed class GatedStream(byte[] data) : MemoryStream(data)
    {
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => started.Task;

        public void Release() => gate.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            started.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
            return Read(buffer.Span);
        }
    }
}
