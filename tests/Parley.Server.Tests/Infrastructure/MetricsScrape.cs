using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Metrics;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Reads an in-process server's metrics in the Prometheus text format, as a scrape of the metrics
/// listener would (an in-process test server has no listeners; the public API never serves them).
/// </summary>
public static class MetricsScrape
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The exported text of the server's registry.</summary>
    public static Task<string> TextAsync(IServiceProvider services) => TextAsync(services.GetRequiredService<ParleyMetrics>());

    /// <summary>The exported text of one registry.</summary>
    public static async Task<string> TextAsync(ParleyMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream).WaitAsync(Timeout);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
