using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Prints, once the server is listening, the certificate fingerprint (<c>SHA256:…</c>) operators give
/// to clients, one <c>Parley server listening on URL</c> line per public address and one
/// <c>Parley metrics listening on URL/metrics</c> line per metrics address. Tests that start the
/// real process wait for that line to learn the port.
/// </summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    IOptions<ParleyServerOptions> options,
    ServerCertificate certificate,
    Listeners listeners) : IHostedService
{
    /// <summary>The prefix of the line announcing each listening address.</summary>
    public const string ListeningPrefix = "Parley server listening on ";

    /// <summary>The prefix of the line announcing the metrics listener's scrape address.</summary>
    public const string MetricsPrefix = "Parley metrics listening on ";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return; // In-process test server: nothing is listening.
        }
        if (!options.Value.Http)
        {
            Console.Out.WriteLine("TLS certificate fingerprint " + certificate.Fingerprint);
        }
        var metricsPorts = listeners.MetricsPorts;
        foreach (var address in addresses)
        {
            var isMetrics = Uri.TryCreate(address, UriKind.Absolute, out var uri) && metricsPorts.Contains(uri.Port);
            Console.Out.WriteLine(isMetrics ? MetricsPrefix + address.TrimEnd('/') + "/metrics" : ListeningPrefix + address);
        }
        Console.Out.Flush();
    }
}
