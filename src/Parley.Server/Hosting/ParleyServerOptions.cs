using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Hosting;

/// <summary>Configuration section <c>Parley</c>: where the server keeps its data and how it listens.</summary>
public sealed class ParleyServerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Parley";

    /// <summary>The default data directory, relative to the working directory.</summary>
    public const string DefaultDataDirectory = "parley-data";

    /// <summary>The default HTTPS listening address.</summary>
    public const string DefaultHttpsUrl = "https://127.0.0.1:8443";

    /// <summary>The default listening address when plain HTTP is asked for.</summary>
    public const string DefaultHttpUrl = "http://127.0.0.1:8080";

    /// <summary>The data directory (database, certificate, server secret); <c>--data DIR</c>.</summary>
    [Required(ErrorMessage = OptionRules.Required)]
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>
    /// The public addresses, separated by ';' (<c>--urls</c>); default <see cref="DefaultHttpsUrl"/>, or
    /// <see cref="DefaultHttpUrl"/> with <see cref="Http"/>.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>Serve plain HTTP instead of HTTPS (only behind a TLS-terminating proxy); <c>--http</c>.</summary>
    public bool Http { get; set; }

    /// <summary>
    /// Addresses of reverse proxies (besides loopback) whose <c>X-Forwarded-For</c> is trusted — the
    /// nginx of a cluster on another machine, so throttling sees clients' addresses, not the proxy's.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];
}

/// <summary>Configuration section <c>Tls</c>: a real certificate instead of the self-signed default.</summary>
public sealed class TlsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Tls";

    /// <summary>Path of a PFX/PKCS#12 file, or of a PEM certificate (chain) when <see cref="KeyPath"/> is set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Path of the PEM private key belonging to a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the PFX file, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Let OpenSSL free each connection's record buffers while they are empty (<c>SSL_MODE_RELEASE_BUFFERS</c>,
    /// as nginx does): ≈ 16 KB less resident memory per idle TLS connection. On by default; false only to compare.
    /// </summary>
    public bool ReleaseIdleBuffers { get; set; } = true;
}
