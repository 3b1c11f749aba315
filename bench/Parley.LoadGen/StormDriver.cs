using System.Diagnostics;

namespace Parley.LoadGen;

/// <summary>What the reconnect storm measured.</summary>
internal sealed record StormResult(int Clients, double SecondsUntilAllConnectedAndDrained, int Attempts, int FailedAttempts);

/// <summary>
/// Reconnect storm: kills the server (SIGKILL, mid-traffic), waits for every socket to drop, then has
/// every client reconnect at once with its session token (no login) and full-jitter exponential
/// backoff, and measures until each has drained its queue (QueueEmpty). The caller restarts the
/// server when the log says it was killed.
/// </summary>
internal static class StormDriver
{
    private static readonly TimeSpan FirstAttemptSpread = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    public static async Task<StormResult> RunAsync(LoadClient[] clients, Func<int, LoadClient[], Task<LoadClient>> reconnect, int serverPid)
    {
        using (var server = Process.GetProcessById(serverPid))
        {
            server.Kill();
        }

        Console.Error.WriteLine("storm: server killed");
        await Task.WhenAll(clients.Select(c => c.Closed)).WaitAsync(TimeSpan.FromSeconds(60));
        var watch = Stopwatch.StartNew();
        int attempts = 0, failures = 0;
        await Task.WhenAll(Enumerable.Range(0, clients.Length).Select(async i =>
        {
            await Task.Delay(Jitter(FirstAttemptSpread));
            for (var attempt = 0; ; attempt++)
            {
                Interlocked.Increment(ref attempts);
                try
                {
                    var client = await reconnect(i, clients);
                    await client.QueueEmpty.WaitAsync(DrainTimeout);
                    return;
                }
                catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or HttpRequestException
                    or TimeoutException or IOException or OperationCanceledException)
                {
                    Interlocked.Increment(ref failures);
                    var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * (1 << Math.Min(attempt, 10)));
                    await Task.Delay(Jitter(TimeSpan.FromMilliseconds(ceiling)));
                }
            }
        }));
        return new StormResult(clients.Length, Math.Round(watch.Elapsed.TotalSeconds, 2), attempts, failures);
    }

    /// <summary>Full jitter: uniform in [0, ceiling).</summary>
    private static TimeSpan Jitter(TimeSpan ceiling) => TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling.TotalMilliseconds);
}
