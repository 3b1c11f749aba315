using Prometheus;

namespace Parley.Server.Metrics;

/// <summary>
/// The server's Prometheus metrics, in a registry of their own (one per host, so tests running
/// several servers in one process do not share counts): the process (CPU, memory, handles, GC) and
/// the .NET runtime's <c>System.Runtime</c> meter, HTTP request counts and durations by route pattern
/// (prometheus-net.AspNetCore, see <see cref="MetricsExtensions"/>), and the features' own counters.
/// Labels are bounded sets — method, status, route pattern, outcome — never a user, token or address.
/// Other features create their metrics with <see cref="Factory"/>.
/// </summary>
public sealed class ParleyMetrics : IDisposable
{
    private readonly IDisposable _runtimeMeters;

    /// <summary>Creates the registry, the process and runtime collectors and the server's own metrics.</summary>
    public ParleyMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);
        _runtimeMeters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Factory,
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == RuntimeMeterName,
        });
        LoginsSucceeded = Factory.CreateCounter("parley_logins_succeeded_total", "SRP logins that produced a session.");
        LoginsFailed = Factory.CreateCounter("parley_logins_failed_total", "SRP logins refused (wrong proof, unknown or expired login id).");
        Registrations = Factory.CreateCounter("parley_registrations_total", "Accounts registered.");
        PrekeyFetches = Factory.CreateCounter("parley_prekey_fetches_total", "Prekey bundles handed out.",
            new CounterConfiguration { LabelNames = ["one_time"] });
        PrekeysLow = Factory.CreateCounter("parley_prekeys_low_total",
            "Bundle fetches that left the target with few (or no) one-time prekeys.");
    }

    /// <summary>The .NET runtime's own meter (GC, thread pool, JIT, exceptions).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>The registry exported at <c>/metrics</c> on the metrics listener.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates further metrics in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>Successful logins.</summary>
    public Counter LoginsSucceeded { get; }

    /// <summary>Failed logins.</summary>
    public Counter LoginsFailed { get; }

    /// <summary>Registrations.</summary>
    public Counter Registrations { get; }

    /// <summary>Bundle fetches, labelled by whether a one-time prekey was included ("true"/"false").</summary>
    public Counter PrekeyFetches { get; }

    /// <summary>Fetches after which the target's one-time prekeys ran low.</summary>
    public Counter PrekeysLow { get; }

    /// <inheritdoc />
    public void Dispose() => _runtimeMeters.Dispose();
}
