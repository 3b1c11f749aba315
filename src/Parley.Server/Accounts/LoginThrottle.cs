using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;

namespace Parley.Server.Accounts;

/// <summary>What the throttle asks of the next login attempt.</summary>
public enum ThrottleDecision
{
    /// <summary>Go ahead.</summary>
    Allow,

    /// <summary>Go ahead with a solved proof of work.</summary>
    RequireProofOfWork,
}

/// <summary>
/// Online-guessing defence, per username and per client address: after a few failures a proof of
/// work is required, after more the attempt is refused with 429 and Retry-After until the failure
/// window passes; every address is also capped in authentication requests per minute. Unknown
/// usernames are counted exactly like known ones (no enumeration). In memory, per node.
/// </summary>
public sealed class LoginThrottle(IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>Most keys tracked per table before expired entries are swept.</summary>
    public const int MaxTrackedKeys = 100_000;

    private readonly ConcurrentDictionary<string, Window> failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Window> requests = new(StringComparer.Ordinal);

    /// <summary>Counts one authentication request from an address; throws 429 over the per-minute cap.</summary>
    public void CountRequest(IPAddress? address)
    {
        var now = time.GetUtcNow();
        var window = Bump(requests, "ip:" + address, now, TimeSpan.FromMinutes(1));
        if (window.Count > options.Value.AuthRequestsPerAddressPerMinute)
        {
            throw ProblemException.TooManyRequests(window.Start.AddMinutes(1) - now);
        }
    }

    /// <summary>Decides whether a login for this username from this address may proceed; throws 429 when locked out.</summary>
    public ThrottleDecision Check(string username, IPAddress? address)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var worst = 0;
        var until = now;
        foreach (var key in Keys(username, address))
        {
            if (failures.TryGetValue(key, out var w) && w.Start + o.LoginFailureWindow > now && w.Count > worst)
            {
                worst = w.Count;
                until = w.Start + o.LoginFailureWindow;
            }
        }
        if (worst >= o.LoginFailuresBeforeLockout)
        {
            throw ProblemException.TooManyRequests(until - now);
        }
        return worst >= o.LoginFailuresBeforePow ? ThrottleDecision.RequireProofOfWork : ThrottleDecision.Allow;
    }

    /// <summary>Records a failed login.</summary>
    public void RecordFailure(string username, IPAddress? address)
    {
        var now = time.GetUtcNow();
        foreach (var key in Keys(username, address))
        {
            Bump(failures, key, now, options.Value.LoginFailureWindow);
        }
    }

    /// <summary>Clears the username's failures after a successful login (the address keeps its count).</summary>
    public void RecordSuccess(string username) => failures.TryRemove("user:" + username, out _);

    private static string[] Keys(string username, IPAddress? address) => ["user:" + username, "ip:" + address];

    private static Window Bump(ConcurrentDictionary<string, Window> table, string key, DateTimeOffset now, TimeSpan length)
    {
        if (table.Count > MaxTrackedKeys)
        {
            foreach (var (k, w) in table)
            {
                if (w.Start + length <= now)
                {
                    table.TryRemove(k, out _);
                }
            }
        }
        return table.AddOrUpdate(key, _ => new Window(now, 1),
            (_, w) => w.Start + length <= now ? new Window(now, 1) : w with { Count = w.Count + 1 });
    }

    private sealed record Window(DateTimeOffset Start, int Count);
}
