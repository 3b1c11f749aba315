using System.ComponentModel.DataAnnotations;
using Parley.Server.Hosting;

namespace Parley.Server.Keys;

/// <summary>Configuration section <c>Keys</c>: upload caps and fetch rate limits.</summary>
public sealed class KeyOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Keys";

    /// <summary>One-time X25519 prekeys per upload request.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int MaxOneTimePreKeysPerUpload { get; set; } = 100;

    /// <summary>One-time X25519 prekeys an account may have stored.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int MaxStoredOneTimePreKeys { get; set; } = 1000;

    /// <summary>One-time ML-KEM prekeys per upload request (each is 1,639 bytes).</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int MaxKemPreKeysPerUpload { get; set; } = 20;

    /// <summary>One-time ML-KEM prekeys an account may have stored.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int MaxStoredKemPreKeys { get; set; } = 200;

    /// <summary>Below this many one-time keys of either kind after a fetch, <c>parley_prekeys_low_total</c> counts it.</summary>
    [Range(0, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int LowPreKeyThreshold { get; set; } = 10;

    /// <summary>Bundle fetches one account may make per minute (token bucket, burst of the same size).</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int FetchesPerRequesterPerMinute { get; set; } = 60;

    /// <summary>Bundle fetches of one target account per minute, from everyone together.</summary>
    [Range(1, int.MaxValue, ErrorMessage = OptionRules.Between)]
    public int FetchesPerTargetPerMinute { get; set; } = 120;
}
