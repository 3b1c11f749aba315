using Microsoft.Extensions.Options;

namespace Parley.Server.Relay;

/// <summary>
/// Starts and stops the group-commit writer with the host, and expires queued messages older than
/// <see cref="RelayOptions.QueueTtl"/> every <see cref="RelayOptions.ExpiryInterval"/>.
/// </summary>
public sealed partial class QueueExpiryService : BackgroundService
{
    private readonly GroupCommitWriter _writer;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueExpiryService> _logger;

    /// <summary>Creates the service.</summary>
    public QueueExpiryService(GroupCommitWriter writer, IOptions<RelayOptions> options, TimeProvider time, ILogger<QueueExpiryService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _writer = writer;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _writer.StartAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _writer.DisposeAsync();
    }

    /// <summary>Deletes every message accepted more than the TTL ago; returns how many.</summary>
    public async Task<int> ExpireNowAsync()
    {
        var cutoff = (_time.GetUtcNow() - _options.QueueTtl).ToUnixTimeMilliseconds();
        var expired = 0;
        await _writer.MaintainAsync(async (store, ct) => expired = await store.ExpireAsync(cutoff, ct));
        if (expired > 0)
        {
            LogExpired(_logger, expired);
        }

        return expired;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ExpiryInterval, _time);
        try
        {
            do
            {
                await ExpireNowAsync();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Expired {Count} queued messages past their TTL")]
    private static partial void LogExpired(ILogger logger, int count);
}
