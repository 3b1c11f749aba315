using Microsoft.Extensions.Options;

namespace Parley.Server.Files;

/// <summary>
/// Background clean-up: every <see cref="FilesOptions.CleanupInterval"/> (on the injected
/// <see cref="TimeProvider"/>'s clock) removes expired blobs and abandoned uploads.
/// </summary>
public sealed partial class FileCleanupService(
    FileService files,
    IOptions<FilesOptions> options,
    TimeProvider time,
    ILogger<FileCleanupService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
        try
        {
            do
            {
                try
                {
                    await files.RemoveExpiredAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCleanupFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The host is stopping (or failed to start): nothing to clean up now.
        }
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "File clean-up failed; retrying next period")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
