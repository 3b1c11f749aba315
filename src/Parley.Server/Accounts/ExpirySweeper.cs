using Parley.Server.Authentication;

namespace Parley.Server.Accounts;

/// <summary>Deletes expired sessions, pending logins, spent challenges and invites every few minutes.</summary>
internal sealed partial class ExpirySweeper(
    ISessionTokenStore sessions, LoginChallengeStore challenges, TimeProvider time, ILogger<ExpirySweeper> logger)
    : BackgroundService
{
    /// <summary>Time between sweeps.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var now = time.GetUtcNow();
                var removed = await sessions.DeleteExpiredAsync(now, stoppingToken).ConfigureAwait(false)
                    + await challenges.DeleteExpiredAsync(now, stoppingToken).ConfigureAwait(false);
                LogSwept(logger, removed);
            }
            catch (System.Data.Common.DbException e)
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Debug, Message = "Expiry sweep removed {Count} rows")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Expiry sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
