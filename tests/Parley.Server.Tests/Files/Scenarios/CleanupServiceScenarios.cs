using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Files;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Files.Scenarios;

/// <summary>The background clean-up runs on the injected clock: an abandoned upload disappears after its TTL once the period ticks.</summary>
public sealed class CleanupServiceScenarios : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task The_background_service_removes_an_abandoned_upload_on_its_next_tick()
    {
        var database = TestDatabases.Sqlite(directory);
        await TestDatabases.MigrateAsync(database, [new FilesMigrations()]);
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var options = Options.Create(new FilesOptions());
        var removals = new RemovalLog();
        var files = new SqlFileStore(database);
        var service = new FileService(files, new LocalBlobStore(Path.Combine(directory.Path, "blobs")), options, clock, removals);
        var record = (await service.CreateAsync("1", 100, CancellationToken.None).WaitAsync(Wait)).Value!;

        using var cleanup = new FileCleanupService(service, options, clock, NullLogger<FileCleanupService>.Instance);
        await cleanup.StartAsync(CancellationToken.None).WaitAsync(Wait);
        clock.Advance(FilesOptions.DefaultPartialUploadTtl - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await files.GetAsync(record.Id, CancellationToken.None).WaitAsync(Wait));

        clock.Advance(FilesOptions.DefaultCleanupInterval);
        await removals.Removed.WaitAsync(Wait);
        Assert.Null(await files.GetAsync(record.Id, CancellationToken.None).WaitAsync(Wait));
        await cleanup.StopAsync(CancellationToken.None).WaitAsync(Wait);
    }

    /// <summary>Completes when the service logs that it removed expired blobs (event 6004).</summary>
    private sealed class RemovalLog : ILogger<FileService>
    {
        private readonly TaskCompletionSource removed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Removed => removed.Task;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 6004)
            {
                removed.TrySetResult();
            }
        }
    }
}
