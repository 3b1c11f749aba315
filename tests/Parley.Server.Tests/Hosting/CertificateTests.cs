using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Parley.Server.Hosting;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// The real process: first start creates a self-signed certificate (mode 0600) and prints its
/// fingerprint; a restart reuses it; <c>fingerprint --data DIR</c> prints the same value; the
/// certificate served over TLS 1.3 is that one; plain HTTP is refused unless asked for.
/// </summary>
public sealed partial class CertificateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Certificate_is_created_once_reused_and_matches_the_fingerprint_command()
    {
        using var data = new TempDirectory();
        string firstFingerprint;
        await using (var server = await ServerProcess.StartAsync("--data", data.Path))
        {
            firstFingerprint = FingerprintIn(server.Output);
            Assert.Equal(firstFingerprint, await FingerprintServedAsync(server.Port));
            using var client = PinnedClient(firstFingerprint);
            var health = await client.GetStringAsync(new Uri($"https://127.0.0.1:{server.Port}/healthz")).WaitAsync(Timeout);
            Assert.Equal("ok", health);
        }
        var pfx = Path.Combine(data.Path, ServerCertificate.SelfSignedFileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        }
        var created = File.GetLastWriteTimeUtc(pfx);

        await using (var again = await ServerProcess.StartAsync("--data", data.Path))
        {
            Assert.Equal(firstFingerprint, FingerprintIn(again.Output));
        }
        Assert.Equal(created, File.GetLastWriteTimeUtc(pfx));

        var (exit, output) = await ServerProcess.RunCommandAsync("fingerprint", "--data", data.Path);
        Assert.Equal(0, exit);
        Assert.Equal(firstFingerprint, output.Trim());
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_asked_for()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        var (exit, output) = await ServerProcess.RunCommandAsync("--data", data.Path, "--urls", $"http://127.0.0.1:{port}");
        Assert.NotEqual(0, exit);
        Assert.Contains("--http", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_pem_certificate_is_served_and_fingerprinted()
    {
        using var data = new TempDirectory();
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(data.Path, "cert.pem");
        var keyPath = Path.Combine(data.Path, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        var expected = ServerCertificate.FormatFingerprint(certificate);

        await using var server = await ServerProcess.StartAsync("--data", data.Path, "--Tls:CertificatePath=" + certPath, "--Tls:KeyPath=" + keyPath);
        Assert.Equal(expected, FingerprintIn(server.Output));
        Assert.Equal(expected, await FingerprintServedAsync(server.Port));
        Assert.False(File.Exists(Path.Combine(data.Path, ServerCertificate.SelfSignedFileName)));
    }

    [Fact]
    public async Task Plain_http_serves_when_asked_for()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartWithSchemeAsync("http", "--data", data.Path, "--http");
        using var client = new HttpClient();
        Assert.Equal("ok", await client.GetStringAsync(new Uri($"http://127.0.0.1:{server.Port}/healthz")).WaitAsync(Timeout));
        Assert.DoesNotContain("fingerprint", server.Output, StringComparison.Ordinal);
    }

    private static string FingerprintIn(string output)
    {
        var match = FingerprintLine().Match(output);
        Assert.True(match.Success, "no fingerprint line in:\n" + output);
        return match.Groups[1].Value;
    }

    private static async Task<string> FingerprintServedAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Timeout);
#pragma warning disable CA5359 // The test reads whatever certificate is served and compares fingerprints itself.
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => cert is not null);
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
        }).WaitAsync(Timeout);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, tls.SslProtocol);
        Assert.NotNull(tls.RemoteCertificate);
        using var seen = X509CertificateLoader.LoadCertificate(tls.RemoteCertificate.GetRawCertData());
        return ServerCertificate.FormatFingerprint(seen);
    }

    /// <summary>A client that trusts exactly the certificate with this fingerprint, as Parley clients pin it.</summary>
#pragma warning disable CA5359 // Not accept-all: the callback pins one fingerprint.
    private static HttpClient PinnedClient(string fingerprint) => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            cert is not null && ServerCertificate.FormatFingerprint(cert) == fingerprint,
    });
#pragma warning restore CA5359

    [GeneratedRegex("TLS certificate fingerprint (SHA256:[0-9a-f]{64})")]
    private static partial Regex FingerprintLine();
}
