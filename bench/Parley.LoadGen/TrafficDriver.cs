using System.Diagnostics;

namespace Parley.LoadGen;

/// <summary>
/// What one traffic phase measured: messages accepted and delivered in it, and the CPU seconds the
/// server and the load generator used from its start until everything it sent was delivered.
/// </summary>
internal sealed record TrafficResult(double SendSeconds, double TotalSeconds, int Accepted, int Delivered,
    double ServerCpuSeconds, double LoadGenCpuSeconds, double LoadAverage);

/// <summary>
/// Drives the active clients: at a target total rate (each client paced on its own schedule, so
/// queueing delay shows in the latency), or flat out (each client keeps a window of unaccepted sends).
/// After the send phase it waits (bounded) until every accepted message has been delivered, then a
/// short settle so the last acknowledgements are committed inside the phase.
/// </summary>
internal static class TrafficDriver
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    public static async Task<TrafficResult> RunAsync(LoadClient[] active, LoadGenOptions options, double durationSeconds)
    {
        var (acceptedBefore, deliveredBefore) = Totals(active);
        var serverCpu = ProcessCpu.ReadSeconds(options.ServerPids);
        var ownCpu = ProcessCpu.ReadSelfSeconds();
        var watch = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(durationSeconds);
        var perClientRate = options.Rate > 0 ? options.Rate / active.Length : 0;
        await Task.WhenAll(active.Select(c => Task.Run(() => perClientRate > 0
            ? PacedAsync(c, perClientRate, watch, end, options.Payload)
            : FlatOutAsync(c, watch, end, options.Payload))));
        var sendSeconds = watch.Elapsed.TotalSeconds;

        await WaitDeliveredAsync(active);
        var totalSeconds = watch.Elapsed.TotalSeconds;
        await Task.Delay(Settle);
        var (acceptedAfter, deliveredAfter) = Totals(active);
        return new TrafficResult(sendSeconds, totalSeconds, acceptedAfter - acceptedBefore, deliveredAfter - deliveredBefore,
            ProcessCpu.ReadSeconds(options.ServerPids) - serverCpu, ProcessCpu.ReadSelfSeconds() - ownCpu, ProcessCpu.LoadAverage());
    }

    /// <summary>Waits (bounded) until every send is answered and every accepted message delivered.</summary>
    public static async Task WaitDeliveredAsync(LoadClient[] active)
    {
        var drainWatch = Stopwatch.StartNew();
        while (drainWatch.Elapsed < DrainTimeout)
        {
            var tallies = active.Select(c => c.Ledger.Tally()).ToList();
            var unanswered = active.Sum(c => c.Ledger.Sent) - tallies.Sum(t => t.Accepted) - active.Sum(c => c.Refused);
            if (unanswered <= 0 && tallies.Sum(t => t.Lost) == 0)
            {
                return;
            }

            await Task.Delay(50);
        }
    }

    private static (int Accepted, int Delivered) Totals(LoadClient[] active)
    {
        int accepted = 0, delivered = 0;
        foreach (var client in active)
        {
            var tally = client.Ledger.Tally();
            accepted += tally.Accepted;
            delivered += tally.Delivered;
        }

        return (accepted, delivered);
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
