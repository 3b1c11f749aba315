using Microsoft.Extensions.Options;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Throttling;

namespace Parley.Server.Keys;

/// <summary>
/// Bundle-fetch budgets, all or nothing: per (requester, target) pair, per requester and per target
/// (everyone together), each per hour and far below the stock of one-time keys a client keeps, so
/// even related accounts cannot drain it; over any, 429 with Retry-After. State in
/// <see cref="IThrottleStore"/>, shared by a cluster's nodes.
/// </summary>
public sealed class FetchRateLimiter(IThrottleStore store, IOptions<KeyOptions> options)
{
    /// <summary>Takes one fetch from each budget or throws 429 (taking none).</summary>
    public async Task AcquireAsync(AccountId requester, AccountId target, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var hour = TimeSpan.FromHours(1);
        var result = await store.TryReserveAsync(
        [
            new($"keys:fetch:pair:{requester.Value}>{target.Value}", o.FetchesPerPairPerHour, hour),
            new($"keys:fetch:requester:{requester.Value}", o.FetchesPerRequesterPerHour, hour),
            new($"keys:fetch:target:{target.Value}", o.FetchesPerTargetPerHour, hour),
        ], cancellationToken).ConfigureAwait(false);
        if (!result.Allowed)
        {
            throw ProblemException.TooManyRequests(result.RetryAfter);
        }
    }
}
