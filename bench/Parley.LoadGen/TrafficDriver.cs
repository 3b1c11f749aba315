using System.Diagnostics;

namespace Parley.LoadGen;

/// <summary>What the traffic phase measured.</summary>
internal sealed record TrafficResult(double SendSeconds, double TotalSeconds, int Accepted, int Delivered);

/// <summary>
/// Drives the active clients: at a target total rate (each client paced on its own schedule, so
/// queueing delay shows in the latency), or flat out (each client keeps a window of unaccepted sends).
/// After the send phase it waits (bounded) until every accepted message has been delivered.
/// </summary>
internal static class TrafficDriver
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);

    public static async Task<TrafficResult> RunAsync(LoadClient[] active, LoadGenOptions options)
    {
        var watch = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(options.Duration);
        var perClientRate = options.Rate > 0 ? options.Rate / active.Length : 0;
        await Task.WhenAll(active.Select(c => Task.Run(() => perClientRate > 0
            ? PacedAsync(c, perClientRate, watch, end, options.Payload)
            : FlatOutAsync(c, watch, end, options.Payload))));
        var sendSeconds = watch.Elapsed.TotalSeconds;

        var drainWatch = Stopwatch.StartNew();
        while (drainWatch.Elapsed < DrainTimeout)
        {
            var tallies = active.Select(c => c.Ledger.Tally()).ToList();
            var unanswered = active.Sum(c => c.Ledger.Sent) - tallies.Sum(t => t.Accepted) - active.Sum(c => c.Refused);
            if (unanswered <= 0 && tallies.Sum(t => t.Lost) == 0)
            {
                break;
            }

            await Task.Delay(50);
        }

        var final = active.Select(c => c.Ledger.Tally()).ToList();
        return new TrafficResult(sendSeconds, watch.Elapsed.TotalSeconds, final.Sum(t => t.Accepted), final.Sum(t => t.Delivered));
    }

    private static async Task FlatOutAsync(LoadClient client, Stopwatch watch, TimeSpan end, int payload)
    {
        while (watch.Elapsed < end)
        {
            await client.Window.WaitAsync();
            client.Send(payload);
        }
    }

    private static async Task PacedAsync(LoadClient client, double rate, Stopwatch watch, TimeSpan end, int payload)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        // Spread the clients' phases so they do not all send in the same millisecond.
        var next = TimeSpan.FromTicks((long)(interval.Ticks * (client.Index % 97) / 97.0));
        while (next < end)
        {
            var wait = next - watch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            client.Send(payload);
            next += interval;
        }
    }
}
