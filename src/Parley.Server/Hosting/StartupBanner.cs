using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Prints, once the server is listening, the certificate fingerprint (<c>SHA256:…</c>) operators give
/// to clients, and one <c>Parley server listening on URL</c> line per address. Tests that start the
/// real process wait for that line to learn the port.
/// </summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    IOptions<ParleyServerOptions> options,
    ServerCertificate certificate) : IHostedService
{
    /// <summary>The prefix of the line announcing each listening address.</summary>
    public const string ListeningPrefix = "Parley server listening on ";

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
        foreach (var address in addresses)
        {
            Console.Out.WriteLine(ListeningPrefix + address);
        }
        Console.Out.Flush();
    }
}
