using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.LoadGen;

/// <summary>The JSON the load generator prints.</summary>
internal static class ResultReport
{
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static object Build(LoadGenOptions options, LoadClient[] clients, TrafficResult traffic, double connectSeconds, long rssBeforeKiB, long rssAfterKiB, int measuredConnections,
        double serverCpuMs)
    {
        var active = clients.Take(options.Active).ToArray();
        var tallies = active.Select(c => c.Ledger.Tally()).ToList();
        var delivery = Percentiles(active.SelectMany(c => c.DeliveryLatencies));
        var accept = Percentiles(active.SelectMany(c => c.AcceptLatencies));
        return new
        {
            url = options.Url.ToString(),
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
            server_cpu_ms = Math.Round(serverCpuMs),
            server_cpu_us_per_delivered_message = traffic.Delivered > 0 ? Math.Round(serverCpuMs * 1000 / traffic.Delivered, 1) : 0,
            lost = tallies.Sum(t => t.Lost),
            duplicated = tallies.Sum(t => t.Duplicated),
        };
    }

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
