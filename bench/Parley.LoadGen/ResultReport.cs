using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.LoadGen;

/// <summary>The JSON the load generator prints.</summary>
internal static class ResultReport
{
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static object Build(LoadGenOptions options, LoadClient[] clients, TrafficResult traffic, List<(TrafficResult Short, TrafficResult Long)> pairs, double connectSeconds, long rssBeforeKiB, long rssAfterKiB, int measuredConnections, StormResult? storm)
    {
        var active = clients.Take(options.Active).ToArray();
        var tallies = active.Select(c => c.Ledger.Tally()).ToList();
        var delivery = Percentiles(active.SelectMany(c => c.DeliveryLatencies));
        var accept = Percentiles(active.SelectMany(c => c.AcceptLatencies));
        var marginals = pairs.Select(p => Marginal(p.Short, p.Long)).OfType<MarginalCpu>().ToList();
        var marginal = Median(marginals);
        return new
        {
            url = options.Url.ToString(),
            load_average_1m = traffic.LoadAverage,
            connections = clients.Length,
            active_connections = active.Length,
            connect_seconds = Math.Round(connectSeconds, 2),
            target_rate = options.Rate,
            send_seconds = Math.Round(traffic.SendSeconds, 2),
            sent = active.Sum(c => c.Ledger.Sent),
            accepted = traffic.Accepted,
            refused = active.Sum(c => c.Refused),
            delivered = traffic.Delivered,
            accepted_per_second = Math.Round(traffic.Accepted / traffic.SendSeconds),
            delivered_per_second = Math.Round(traffic.Delivered / traffic.SendSeconds),
            delivery_latency_ms = delivery,
            accept_latency_ms = accept,
            warmup_connections = clients.Length - measuredConnections,
            server_rss_before_kib = rssBeforeKiB,
            server_rss_after_connect_kib = rssAfterKiB,
            server_bytes_per_idle_connection = options.ServerPid > 0 ? (rssAfterKiB - rssBeforeKiB) * 1024 / Math.Max(1, measuredConnections) : 0,
            server_cpu_us_per_message = marginal?.Server,
            loadgen_cpu_us_per_message = marginal?.LoadGen,
            marginal_messages = marginal?.Messages,
            server_cpu_us_per_message_pairs = marginals.Select(m => m.Server).ToArray(),
            loadgen_cpu_us_per_message_pairs = marginals.Select(m => m.LoadGen).ToArray(),
            phases = pairs.Select(p => new { @short = PhaseSummary(p.Short), @long = PhaseSummary(p.Long) }).ToArray(),
            reconnect_storm = storm,
            lost = tallies.Sum(t => t.Lost),
            duplicated = tallies.Sum(t => t.Duplicated),
        };
    }

    /// <summary>
    /// CPU per message as the difference of two phases: (long − short CPU) / (long − short messages).
    /// Null when the phases did not differ in messages.
    /// </summary>
    private static MarginalCpu? Marginal(TrafficResult shortPhase, TrafficResult longPhase)
    {
        var messages = longPhase.Delivered - shortPhase.Delivered;
        if (messages <= 0)
        {
            return null;
        }

        return new MarginalCpu(
            Math.Round((longPhase.ServerCpuSeconds - shortPhase.ServerCpuSeconds) * 1e6 / messages, 2),
            Math.Round((longPhase.LoadGenCpuSeconds - shortPhase.LoadGenCpuSeconds) * 1e6 / messages, 2),
            messages);
    }

    /// <summary>The pair with the median server figure (its own load generator figure beside it).</summary>
    private static MarginalCpu? Median(List<MarginalCpu> marginals)
    {
        if (marginals.Count == 0)
        {
            return null;
        }

        var sorted = marginals.OrderBy(m => m.Server).ToList();
        var loadGen = marginals.Select(m => m.LoadGen).Order().ToList();
        return sorted[sorted.Count / 2] with { LoadGen = loadGen[loadGen.Count / 2] };
    }

    private static object PhaseSummary(TrafficResult phase) => new
    {
        send_seconds = Math.Round(phase.SendSeconds, 2),
        delivered = phase.Delivered,
        server_cpu_seconds = Math.Round(phase.ServerCpuSeconds, 2),
        loadgen_cpu_seconds = Math.Round(phase.LoadGenCpuSeconds, 2),
        server_cpu_us_per_message_average = phase.Delivered > 0 ? Math.Round(phase.ServerCpuSeconds * 1e6 / phase.Delivered, 2) : 0,
        load_average_1m = phase.LoadAverage,
    };

    private sealed record MarginalCpu(double Server, double LoadGen, int Messages);

    private static LatencySummary Percentiles(IEnumerable<long> ticks)
    {
        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        double Ms(long t) => Math.Round(t * 1000.0 / Stopwatch.Frequency, 2);
        return new LatencySummary(Ms(sorted[sorted.Length / 2]), Ms(sorted[(int)(sorted.Length * 0.99)]), Ms(sorted[^1]), sorted.Length);
    }

    internal sealed record LatencySummary(
        [property: JsonPropertyName("p50")] double P50,
        [property: JsonPropertyName("p99")] double P99,
        [property: JsonPropertyName("max")] double Max,
        [property: JsonPropertyName("count")] long Count);
}
