using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Parley.Server.Relay;

/// <summary>
/// Per-account token bucket for sends. Kept per account (not per socket) so reconnecting does not
/// refill it. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SenderRateLimiter
{
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;

    /// <summary>Creates the limiter from the relay options.</summary>
    public SenderRateLimiter(IOptions<RelayOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _rate = Math.Max(0.001, options.Value.SendRatePerSecond);
        _burst = Math.Max(1, options.Value.SendBurst);
    }

    /// <summary>Takes one token; when none is left, returns false and how long until one is.</summary>
    public bool TryTake(long accountId, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(accountId, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: _burst, Now: now));
        lock (bucket)
        {
            var elapsed = _time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + Math.Max(0, elapsed) * _rate);
            bucket.Stamp = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / _rate);
            return false;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
