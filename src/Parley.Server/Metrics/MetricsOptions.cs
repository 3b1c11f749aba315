using System.ComponentModel.DataAnnotations;
using Parley.Server.Hosting;

namespace Parley.Server.Metrics;

/// <summary>
/// Configuration section <c>Metrics</c>: where Prometheus scrapes <c>/metrics</c>. Metrics are never
/// served on the public port (their gauges, such as connected clients, would tell a stranger when
/// someone comes online); they have a listener of their own, on the loopback interface by default.
/// </summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Metrics";

    /// <summary>The default metrics address (9464: the port conventionally used by Prometheus exporters).</summary>
    public const string DefaultUrl = "http://127.0.0.1:9464";

    /// <summary>The value of <see cref="Urls"/> that turns the metrics listener off.</summary>
    public const string Off = "none";

    /// <summary>The shortest bearer token accepted.</summary>
    public const int MinBearerTokenLength = 32;

    /// <summary>
    /// The metrics listener's addresses, separated by ';' (e.g. <c>http://127.0.0.1:9464</c>), or
    /// <c>none</c>. An address off the loopback interface requires <see cref="BearerToken"/>.
    /// </summary>
    public string Urls { get; set; } = DefaultUrl;

    /// <summary>
    /// When set, a scrape must send <c>Authorization: Bearer TOKEN</c> (compared in constant time);
    /// at least <see cref="MinBearerTokenLength"/> characters.
    /// </summary>
    [MinLength(MinBearerTokenLength, ErrorMessage = OptionRules.MinLength)]
    public string? BearerToken { get; set; }

    /// <summary>True when the listener is turned off.</summary>
    public bool IsDisabled => string.IsNullOrWhiteSpace(Urls) || Urls.Trim().Equals(Off, StringComparison.OrdinalIgnoreCase);
}
