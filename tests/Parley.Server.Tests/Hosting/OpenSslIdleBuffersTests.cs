using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Server.Metrics;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// <c>SSL_MODE_RELEASE_BUFFERS</c> on in-process TLS connections (docs/BENCHMARKS.md, "TLS in process"):
/// the runtime does not set it by itself, <see cref="OpenSslIdleBuffers"/> does, traffic still flows both
/// ways with it on, the connection middleware sets it before the next layer runs (or, switched off,
/// does not), and the real server process sets it on its TLS connections (counted in its metrics).
/// </summary>
public sealed class OpenSslIdleBuffersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_runtime_leaves_the_mode_off_and_Enable_turns_it_on_with_traffic_intact()
    {
        await using var pair = await TlsPair.OpenAsync();
        Assert.True(OpenSslIdleBuffers.Available);
        var before = OpenSslIdleBuffers.Mode(pair.Server);
        Assert.NotNull(before);
        Assert.Equal(0, before.Value & OpenSslIdleBuffers.ReleaseBuffersMode);

        Assert.True(OpenSslIdleBuffers.Enable(pair.Server));
        Assert.NotEqual(0, OpenSslIdleBuffers.Mode(pair.Server)!.Value & OpenSslIdleBuffers.ReleaseBuffersMode);
        // Other mode bits the runtime set stay as they were.
        Assert.Equal(before.Value, OpenSslIdleBuffers.Mode(pair.Server)!.Value & ~OpenSslIdleBuffers.ReleaseBuffersMode);

        // Records larger than one buffer, both ways, several times: the buffers are freed and taken again.
        for (var round = 0; round < 3; round++)
        {
            var up = RandomNumberGenerator.GetBytes(40_000 + round);
            var down = RandomNumberGenerator.GetBytes(3 + round);
            await pair.Client.WriteAsync(up).AsTask().WaitAsync(Timeout);
            Assert.Equal(up, await ReadExactlyAsync(pair.Server, up.Length));
            await pair.Server.WriteAsync(down).AsTask().WaitAsync(Timeout);
            Assert.Equal(down, await ReadExactlyAsync(pair.Client, down.Length));
        }
    }

    [Fact]
    public async Task The_connection_middleware_sets_the_mode_before_the_next_layer_runs_and_counts_it()
    {
        await using var pair = await TlsPair.OpenAsync();
        using var metrics = new ParleyMetrics();
        var release = new TlsBufferRelease(Options.Create(new TlsOptions()), metrics, NullLogger<TlsBufferRelease>.Instance);
        await using var connection = new DefaultConnectionContext("tls");
        connection.Features.Set<ISslStreamFeature>(new SslStreamFeature(pair.Server));
        long? seen = null;
        var middleware = release.Wrap(_ =>
        {
            seen = OpenSslIdleBuffers.Mode(pair.Server);
            return Task.CompletedTask;
        });

        await middleware(connection).WaitAsync(Timeout);

        Assert.NotNull(seen);
        Assert.NotEqual(0, seen.Value & OpenSslIdleBuffers.ReleaseBuffersMode);
        Assert.Equal(1, Counted(await MetricsScrape.TextAsync(metrics), "released"));
        Assert.Equal(0, Counted(await MetricsScrape.TextAsync(metrics), "kept"));
    }

    [Fact]
    public async Task Switched_off_the_buffers_are_kept_and_counted_so()
    {
        await using var pair = await TlsPair.OpenAsync();
        using var metrics = new ParleyMetrics();
        var release = new TlsBufferRelease(Options.Create(new TlsOptions { ReleaseIdleBuffers = false }), metrics, NullLogger<TlsBufferRelease>.Instance);
        await using var connection = new DefaultConnectionContext("tls");
        connection.Features.Set<ISslStreamFeature>(new SslStreamFeature(pair.Server));

        await release.Wrap(_ => Task.CompletedTask)(connection).WaitAsync(Timeout);

        Assert.Equal(0, OpenSslIdleBuffers.Mode(pair.Server)!.Value & OpenSslIdleBuffers.ReleaseBuffersMode);
        Assert.Equal(1, Counted(await MetricsScrape.TextAsync(metrics), "kept"));
    }

    [Fact]
    public async Task A_plain_connection_passes_through_untouched_and_uncounted()
    {
        using var metrics = new ParleyMetrics();
        var release = new TlsBufferRelease(Options.Create(new TlsOptions()), metrics, NullLogger<TlsBufferRelease>.Instance);
        await using var connection = new DefaultConnectionContext("plain");
        var called = false;
        var middleware = release.Wrap(_ =>
        {
            called = true;
            return Task.CompletedTask;
        });

        await middleware(connection).WaitAsync(Timeout);

        Assert.True(called);
        var text = await MetricsScrape.TextAsync(metrics);
        Assert.Equal(0, Counted(text, "released") + Counted(text, "kept"));
    }

    [Fact]
    public async Task The_server_process_releases_the_buffers_of_its_tls_connections()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync("--data", data.Path);
        using var client = new HttpClient(new HttpClientHandler
        {
            // Only a TLS connection to the process is needed; its certificate is the self-signed one it printed.
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
                cert is not null && server.Output.Contains(ServerCertificate.FormatFingerprint(cert), StringComparison.Ordinal),
        });
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{server.Port}/healthz"));
            request.Headers.ConnectionClose = true; // a new TLS connection each time
            using var response = await client.SendAsync(request).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var scrape = new HttpClient();
        var text = await scrape.GetStringAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}/metrics")).WaitAsync(Timeout);
        Assert.Equal(3, Counted(text, "released"));
        Assert.Equal(0, Counted(text, "kept"));
    }

    private static long Counted(string metrics, string label)
    {
        var prefix = "parley_tls_connections_total{idle_buffers=\"" + label + "\"} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Timeout);
        return buffer;
    }

    private sealed class SslStreamFeature(SslStream stream) : ISslStreamFeature
    {
        public SslStream SslStream { get; } = stream;
    }

    /// <summary>A TLS 1.3 connection over loopback TCP between two <see cref="SslStream"/>s (the server side is OpenSSL's).</summary>
    private sealed class TlsPair : IAsyncDisposable
    {
        private readonly X509Certificate2 _certificate;
        private readonly TcpListener _listener;
        private readonly TcpClient _tcp;
        private readonly Socket _accepted;

        private TlsPair(X509Certificate2 certificate, TcpListener listener, TcpClient tcp, Socket accepted, SslStream server, SslStream client)
        {
            _certificate = certificate;
            _listener = listener;
            _tcp = tcp;
            _accepted = accepted;
            Server = server;
            Client = client;
        }

        public SslStream Server { get; }

        public SslStream Client { get; }

        public static async Task<TlsPair> OpenAsync()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port).WaitAsync(Timeout);
            var accepted = await listener.AcceptSocketAsync().WaitAsync(Timeout);
            var server = new SslStream(new NetworkStream(accepted, ownsSocket: false));
            var client = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString());
            await Task.WhenAll(
                server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 }),
                client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = SslProtocols.Tls13 })).WaitAsync(Timeout);
            return new TlsPair(certificate, listener, tcp, accepted, server, client);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
            _tcp.Dispose();
            _accepted.Dispose();
            _listener.Stop();
            _listener.Dispose();
            _certificate.Dispose();
        }
    }
}
