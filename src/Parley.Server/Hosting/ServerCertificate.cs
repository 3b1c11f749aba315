using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// The TLS certificate the server presents: a configured one (<see cref="TlsOptions"/>) or, by
/// default, a self-signed ECDSA P-256 certificate created once in the data directory and reused, so
/// that the fingerprint clients pin stays the same across restarts.
/// </summary>
public sealed class ServerCertificate : IDisposable
{
    /// <summary>File name of the self-signed certificate (PKCS#12, no password, mode 0600).</summary>
    public const string SelfSignedFileName = "server-certificate.pfx";

    /// <summary>How long the self-signed certificate is valid; renewing it changes the pinned fingerprint.</summary>
    public static readonly TimeSpan SelfSignedLifetime = TimeSpan.FromDays(5 * 365);

    private readonly Lazy<X509Certificate2> certificate;

    /// <summary>Prepares to load or create the certificate on first use.</summary>
    public ServerCertificate(IOptions<TlsOptions> options, ServerDataDirectory dataDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        var tls = options.Value;
        certificate = new Lazy<X509Certificate2>(() => tls.CertificatePath is { Length: > 0 }
            ? LoadConfigured(tls)
            : LoadOrCreateSelfSigned(dataDirectory.File(SelfSignedFileName), time));
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate => certificate.Value;

    /// <summary>The pin clients compare: <c>SHA256:</c> and the lowercase hex SHA-256 of the DER certificate.</summary>
    public string Fingerprint => FormatFingerprint(Certificate);

    /// <summary>Formats the SHA-256 fingerprint of a certificate's DER encoding.</summary>
    public static string FormatFingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (certificate.IsValueCreated)
        {
            certificate.Value.Dispose();
        }
    }

    private static X509Certificate2 LoadConfigured(TlsOptions tls)
    {
        if (tls.KeyPath is { Length: > 0 })
        {
            using var pem = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);
            // Re-import so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath!, tls.CertificatePassword);
    }

    private static X509Certificate2 LoadOrCreateSelfSigned(string path, TimeProvider time)
    {
        if (File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, null);
        }
        var pfx = CreateSelfSignedPfx(time.GetUtcNow());
        var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".tmp";
        ServerDataDirectory.WritePrivateFile(temporary, pfx);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs so both present the same fingerprint.
            File.Delete(temporary);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, null);
    }

    private static byte[] CreateSelfSignedPfx(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Parley server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        if (Uri.CheckHostName(Environment.MachineName) == UriHostNameType.Dns)
        {
            names.AddDnsName(Environment.MachineName);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.Add(SelfSignedLifetime));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}
