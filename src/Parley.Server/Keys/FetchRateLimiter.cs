using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Parley.Server.Accounts;
using Parley.Server.Hosting;

namespace Parley.Server.Keys;

/// <summary>Token buckets per requester and per target for bundle fetches; over either, 429 with Retry-After.</summary>
public sealed class FetchRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> requesters;
    private readonly PartitionedRateLimiter<string> targets;

    /// <summary>Creates the limiters from <see cref="KeyOptions"/>.</summary>
    public FetchRateLimiter(IOptions<KeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        requesters = Create(options.Value.FetchesPerRequesterPerMinute);
        targets = Create(options.Value.FetchesPerTargetPerMinute);
    }

    /// <summary>Takes a token from both buckets or throws 429.</summary>
    public void Acquire(AccountId requester, AccountId target)
    {
        Take(requesters, requester.ToString());
        Take(targets, target.ToString());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        requesters.Dispose();
        targets.Dispose();
    }

    private static void Take(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            throw ProblemException.TooManyRequests(wait);
        }
    }

    private static PartitionedRateLimiter<string> Create(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perMinute),
            TokensPerPeriod = Math.Max(1, perMinute),
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
