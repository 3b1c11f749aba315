using System.ComponentModel.DataAnnotations;
using Parley.Server.Hosting;

namespace Parley.Server.Relay;

/// <summary>Configuration section <c>Relay</c>: queue lifetime and caps, rate limits, group commit tuning.</summary>
public sealed class RelayOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Relay";

    /// <summary>How long an undelivered message waits in a queue before it expires (default 30 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan QueueTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the background expiry runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan ExpiryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most messages one recipient's queue may hold; further sends get QUEUE_FULL.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int QueueCapPerRecipient { get; set; } = 10_000;

    /// <summary>Sustained sends per second one account may make.</summary>
    [Range(0.001, double.MaxValue, ErrorMessage = OptionRules.Between)]
    public double SendRatePerSecond { get; set; } = 200;

    /// <summary>Burst of sends one account may make above the sustained rate.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int SendBurst { get; set; } = 1_000;

    /// <summary>Most messages and acks committed in one transaction.</summary>
    [Range(1, 1000000, ErrorMessage = OptionRules.Between)]
    public int MaxBatchSize { get; set; } = 4_096;

    /// <summary>
    /// How long the writer waits for more work before committing while it is busy. An idle writer
    /// commits at once, so a lone message never waits for the window.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01", ErrorMessage = OptionRules.Between)]
    public TimeSpan GroupCommitWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// SQLite only: fsync every group commit (<c>synchronous=FULL</c>), so accepted messages survive
    /// power loss, not just a killed process. On by default.
    /// </summary>
    public bool SqliteFullSync { get; set; } = true;

    /// <summary>Interval of WebSocket keep-alive pings sent by the server.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A peer that does not answer the server's keep-alive ping within this time is dropped (dead
    /// network paths, suspended laptops); an idle but live client stays connected.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = OptionRules.Between)]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Accept plain HTTP/1.1 upgrades of <c>/v1/ws</c> at the connection level, before the HTTP request
    /// pipeline, so that an idle socket holds no request state (<see cref="RelayUpgradeHandler"/>). On by
    /// default; false sends every socket through the full pipeline (for comparison).
    /// </summary>
    public bool ConnectionUpgrade { get; set; } = true;

    /// <summary>
    /// Browser origins allowed to open the socket besides the server's own. Native clients send no
    /// Origin and are allowed; any other Origin is refused with 403.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];
}
