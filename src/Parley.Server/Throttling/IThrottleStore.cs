namespace Parley.Server.Throttling;

/// <summary>One counter to charge in an all-or-nothing reservation.</summary>
/// <param name="Key">The counter's key (e.g. <c>login:pair:alice|192.0.2.1</c>); opaque to the store.</param>
/// <param name="Limit">The most the counter may reach; a charge that would pass it is refused.</param>
/// <param name="Window">How long the counter lives after its last accepted charge.</param>
public readonly record struct ThrottleCharge(string Key, long Limit, TimeSpan Window);

/// <summary>The answer to a reservation.</summary>
/// <param name="Allowed">Whether every counter was charged.</param>
/// <param name="RefusedIndex">When refused: the index of the first full counter; -1 when allowed.</param>
/// <param name="RetryAfter">When refused: how long until that counter expires.</param>
public readonly record struct ThrottleResult(bool Allowed, int RefusedIndex, TimeSpan RetryAfter)
{
    /// <summary>The allowed result.</summary>
    public static ThrottleResult Allow { get; } = new(true, -1, TimeSpan.Zero);
}

/// <summary>
/// The state behind every throttle, rate limit and lockout: counters and leases with expiry, each
/// operation atomic. The in-memory <see cref="MemoryThrottleStore"/> is the single-node default; a
/// cluster registers a shared implementation (Redis: one Lua script per operation) in its place, and
/// every node then enforces the same limits. Implementations must pass
/// <c>tests/Parley.Server.Tests/Contract/ThrottleStoreContract.cs</c>.
/// </summary>
/// <remarks>
/// Semantics, exactly (a shared implementation must match them):
/// a counter is absent (value 0) or holds a value and an expiry; an accepted charge adds 1 and sets
/// the expiry to now + its window (so a counter that keeps being charged never resets early, and a
/// limit holds over any stretch of time, not per calendar window); a refused charge changes nothing.
/// A lease set holds at most <c>limit</c> live leases; each lease ends when released or after its
/// lifetime.
/// </remarks>
public interface IThrottleStore
{
    /// <summary>
    /// All or nothing: when every counter is below its limit, adds 1 to each and returns
    /// <see cref="ThrottleResult.Allow"/>; otherwise changes nothing and names the first full one.
    /// </summary>
    ValueTask<ThrottleResult> TryReserveAsync(IReadOnlyList<ThrottleCharge> charges, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="delta"/> (negative to refund; the value never drops below 0) and returns the new value.</summary>
    ValueTask<long> AddAsync(string key, long delta, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The counter's value (0 when absent or expired).</summary>
    ValueTask<long> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes a counter.</summary>
    ValueTask ResetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Takes lease <paramref name="leaseId"/> in set <paramref name="key"/> when fewer than
    /// <paramref name="limit"/> live leases are held (re-taking a held lease renews it); false otherwise.
    /// </summary>
    ValueTask<bool> TryAcquireLeaseAsync(string key, string leaseId, int limit, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Ends a lease (no effect when it is not held).</summary>
    ValueTask ReleaseLeaseAsync(string key, string leaseId, CancellationToken cancellationToken);
}
