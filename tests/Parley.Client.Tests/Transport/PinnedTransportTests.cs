using System.Net;
using System.Net.Sockets;
using Parley.Client.Errors;
using Parley.Client.Transport;

namespace Parley.Client.Tests.Transport;

public sealed class PinnedTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Probe_reports_the_fingerprint_of_the_certificate_the_server_presents()
    {
        using var server = new TinyTlsServer();
        var seen = await PinnedTransport.ProbeAsync(server.Address, Timeout, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ServerFingerprint.Of(server.Certificate), seen);
    }

    [Fact]
    public async Task A_pinned_certificate_is_accepted()
    {
        using var server = new TinyTlsServer();
        using var transport = new PinnedTransport(server.Address, ServerFingerprint.Of(server.Certificate), Timeout);
        var body = await transport.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal("ok", body);
    }

    [Fact]
    public async Task Another_certificate_is_refused_as_CertificateChanged()
    {
        using var server = new TinyTlsServer();
        using var other = new TinyTlsServer();
        using var transport = new PinnedTransport(server.Address, ServerFingerprint.Of(other.Certificate), Timeout);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => transport.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)).WaitAsync(Timeout));
        Assert.Equal(ClientErrorKind.CertificateChanged, transport.Translate(e).Kind);
    }

    [Fact]
    public async Task A_closed_port_is_ServerUnreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var address = new Uri($"https://127.0.0.1:{port}/");

        var probe = await Assert.ThrowsAsync<ParleyClientException>(() => PinnedTransport.ProbeAsync(address, Timeout, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(ClientErrorKind.ServerUnreachable, probe.Kind);

        Assert.True(ServerFingerprint.TryParse("SHA256:" + new string('0', 64), out var pin));
        using var transport = new PinnedTransport(address, pin, Timeout);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => transport.Http.GetStringAsync(new Uri("/", UriKind.Relative)).WaitAsync(Timeout));
        Assert.Equal(ClientErrorKind.ServerUnreachable, transport.Translate(e).Kind);
    }

    [Theory]
    [InlineData("SHA256:AB", false)]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF", true)]
    [InlineData("MD5:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", false)]
    public void Fingerprints_parse_strictly(string text, bool valid)
    {
        Assert.Equal(valid, ServerFingerprint.TryParse(text, out var fp));
        if (valid)
        {
            Assert.Equal("SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", fp.ToString());
        }
    }
}
