using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Cluster;

/// <summary>
/// Cross-node operation, bound from the <c>Cluster</c> section. Setting <see cref="Redis"/> turns it
/// on; storage must then be PostgreSQL (the only durable queue, shared by every node).
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Default period of the sweep that re-checks every local connection's stored queue.</summary>
    public static readonly TimeSpan DefaultSweepInterval = TimeSpan.FromSeconds(5);

    /// <summary>Default lifetime of an account's "online on node N" key; refreshed every sweep.</summary>
    public static readonly TimeSpan DefaultOnlineTtl = TimeSpan.FromSeconds(30);

    /// <summary>Default period after which per-recipient queue depths are re-read from the database.</summary>
    public static readonly TimeSpan DefaultDepthResyncInterval = TimeSpan.FromSeconds(60);

    /// <summary>Shortest sweep period accepted.</summary>
    public static readonly TimeSpan MinSweepInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Redis endpoint, <c>host:port</c> (any StackExchange.Redis configuration string). Empty: single node.</summary>
    public string Redis { get; set; } = "";

    /// <summary>How often each node re-checks the stored queues of its connections (the bound on a lost doorbell).</summary>
    public TimeSpan SweepInterval { get; set; } = DefaultSweepInterval;

    /// <summary>How long an "online" key lives without refresh (a crashed node's accounts go offline after this).</summary>
    public TimeSpan OnlineTtl { get; set; } = DefaultOnlineTtl;

    /// <summary>How often queue depths (the per-recipient cap) are re-read from the shared database.</summary>
    public TimeSpan DepthResyncInterval { get; set; } = DefaultDepthResyncInterval;

    /// <summary>True when cross-node operation is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>The periods' rules, checked at start-up (one sentence each, naming the key).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SweepInterval < MinSweepInterval)
        {
            yield return new ValidationResult("must be at least " + MinSweepInterval + ".", [nameof(SweepInterval)]);
        }
        if (OnlineTtl <= SweepInterval)
        {
            yield return new ValidationResult("must be longer than Cluster:SweepInterval.", [nameof(OnlineTtl)]);
        }
        if (DepthResyncInterval < SweepInterval)
        {
            yield return new ValidationResult("must be at least Cluster:SweepInterval.", [nameof(DepthResyncInterval)]);
        }
    }
}
