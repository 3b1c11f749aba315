namespace Parley.Server.Throttling;

/// <summary>
/// The single-node <see cref="IThrottleStore"/>: dictionaries under one lock (every operation is a
/// few dictionary steps, so the lock is never held for long). Expired entries are swept when a table
/// grows past <see cref="MaxTrackedKeys"/>.
/// </summary>
public sealed class MemoryThrottleStore(TimeProvider time) : IThrottleStore
{
    /// <summary>Most keys per table before expired entries are swept.</summary>
    public const int MaxTrackedKeys = 100_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> leases = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ThrottleResult> TryReserveAsync(IReadOnlyList<ThrottleCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var now = time.GetUtcNow();
        lock (gate)
        {
            for (var i = 0; i < charges.Count; i++)
            {
                if (Live(charges[i].Key, now) is { } c && c.Value >= charges[i].Limit)
                {
                    return ValueTask.FromResult(new ThrottleResult(false, i, c.Expires - now));
                }
                if (charges[i].Limit <= 0)
                {
                    return ValueTask.FromResult(new ThrottleResult(false, i, charges[i].Window));
                }
            }
            Sweep(now);
            foreach (var charge in charges)
            {
                counters[charge.Key] = new Counter((Live(charge.Key, now)?.Value ?? 0) + 1, now + charge.Window);
            }
        }
        return ValueTask.FromResult(ThrottleResult.Allow);
    }

    /// <inheritdoc />
    public ValueTask<long> AddAsync(string key, long delta, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        lock (gate)
        {
            Sweep(now);
            var value = Math.Max(0, (Live(key, now)?.Value ?? 0) + delta);
            counters[key] = new Counter(value, now + window);
            return ValueTask.FromResult(value);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return ValueTask.FromResult(Live(key, time.GetUtcNow())?.Value ?? 0);
        }
    }

    /// <inheritdoc />
    public ValueTask ResetAsync(string key, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            counters.Remove(key);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAcquireLeaseAsync(string key, string leaseId, int limit, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(leaseId);
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!leases.TryGetValue(key, out var set))
            {
                Sweep(now);
                set = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                leases[key] = set;
            }
            foreach (var (id, expires) in set.Where(l => l.Value <= now).ToList())
            {
                set.Remove(id);
            }
            if (!set.ContainsKey(leaseId) && set.Count >= limit)
            {
                return ValueTask.FromResult(false);
            }
            set[leaseId] = now + lifetime;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseLeaseAsync(string key, string leaseId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (leases.TryGetValue(key, out var set) && set.Remove(leaseId) && set.Count == 0)
            {
                leases.Remove(key);
            }
        }
        return ValueTask.CompletedTask;
    }

    private Counter? Live(string key, DateTimeOffset now) =>
        counters.TryGetValue(key, out var c) && c.Expires > now ? c : null;

    private void Sweep(DateTimeOffset now)
    {
        if (counters.Count > MaxTrackedKeys)
        {
            foreach (var key in counters.Where(c => c.Value.Expires <= now).Select(c => c.Key).ToList())
            {
                counters.Remove(key);
            }
        }
        if (leases.Count > MaxTrackedKeys)
        {
            foreach (var key in leases.Where(l => l.Value.Values.All(e => e <= now)).Select(l => l.Key).ToList())
            {
                leases.Remove(key);
            }
        }
    }

    private readonly record struct Counter(long Value, DateTimeOffset Expires);
}
