using System.Net;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Hosting;
using Parley.Server.Throttling;

namespace Parley.Server.Accounts;

/// <summary>
/// Which counters and leases one login attempt is charged to, derived from what the login start saw
/// (username, client address, the device id of a valid device cookie). Stored with the pending login,
/// so the finish releases and refunds exactly what the start took, on whichever node it lands.
/// </summary>
/// <param name="Username">The normalized username asked for (known or not: both are throttled alike).</param>
/// <param name="Address">The client address at login start, as text (<c>-</c> when unknown).</param>
/// <param name="DeviceId">The device id of a valid device cookie for this account, or null (an untrusted client).</param>
public sealed record LoginPlan(string Username, string Address, string? DeviceId)
{
    /// <summary>Whether the attempt came with a valid device cookie.</summary>
    public bool Trusted => DeviceId is not null;
}

/// <summary>
/// Online-guessing defence (docs/SECURITY.md, "Login throttling"). Every login start reserves one
/// attempt — before any SRP work — against failure budgets, and holds a lease on the open-login caps
/// until it finishes or expires; a finish that proves the password gives the attempt back. So the
/// number of guesses is bounded by the number of reservations, however starts and finishes are
/// interleaved and from however many addresses. Untrusted clients are charged per (account, address),
/// per account and per address; a client holding a device cookie from an earlier successful login is
/// charged only to its own cookie, so strangers exhausting the account-wide budget cannot lock the
/// owner out. Proof of work is demanded after a few failures, one bit harder per further failure.
/// State lives in <see cref="IThrottleStore"/>, shared by every node of a cluster.
/// </summary>
public sealed class LoginThrottle(IThrottleStore store, IOptions<AccountOptions> options)
{
    /// <summary>Counts one authentication request from an address; throws 429 over the per-minute cap.</summary>
    public async Task CountRequestAsync(IPAddress? address, CancellationToken cancellationToken)
    {
        var charge = new ThrottleCharge("auth:req:" + AddressText(address), options.Value.AuthRequestsPerAddressPerMinute, TimeSpan.FromMinutes(1));
        var result = await store.TryReserveAsync([charge], cancellationToken).ConfigureAwait(false);
        if (!result.Allowed)
        {
            throw ProblemException.TooManyRequests(result.RetryAfter);
        }
    }

    /// <summary>The plan for a login start.</summary>
    public static LoginPlan Plan(string username, IPAddress? address, string? deviceId) => new(username, AddressText(address), deviceId);

    /// <summary>
    /// The proof-of-work difficulty this attempt must bring (0: none). Throws 429 when any budget it
    /// would be charged to is already spent, so a locked-out client is not asked to work for nothing.
    /// </summary>
    public async Task<int> RequiredDifficultyAsync(LoginPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = options.Value;
        long worst = 0;
        foreach (var charge in Charges(plan))
        {
            var value = await store.GetAsync(charge.Key, cancellationToken).ConfigureAwait(false);
            if (value >= charge.Limit)
            {
                throw ProblemException.TooManyRequests(charge.Window);
            }
            worst = Math.Max(worst, value);
        }
        return DifficultyFor(worst, o);
    }

    /// <summary>
    /// Opens an attempt: takes the open-login leases (per account or device, per address) and reserves
    /// one attempt on every budget, all or nothing; throws 429 (and takes nothing) when any is full.
    /// </summary>
    public async Task OpenAsync(LoginPlan plan, string leaseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = options.Value;
        var leases = Leases(plan);
        var taken = new List<(string Key, int Limit)>();
        foreach (var lease in leases)
        {
            if (!await store.TryAcquireLeaseAsync(lease.Key, leaseId, lease.Limit, o.LoginLifetime, cancellationToken).ConfigureAwait(false))
            {
                await ReleaseAsync(taken, leaseId).ConfigureAwait(false);
                throw ProblemException.TooManyRequests(o.LoginLifetime);
            }
            taken.Add(lease);
        }
        var result = await store.TryReserveAsync(Charges(plan), cancellationToken).ConfigureAwait(false);
        if (!result.Allowed)
        {
            await ReleaseAsync(taken, leaseId).ConfigureAwait(false);
            throw ProblemException.TooManyRequests(result.RetryAfter);
        }
    }

    /// <summary>Ends an attempt. A failed (or abandoned) attempt keeps its reservation; a proven one gives it back.</summary>
    public async Task CloseAsync(LoginPlan plan, string leaseId, bool succeeded)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await ReleaseAsync(Leases(plan), leaseId).ConfigureAwait(false);
        if (!succeeded)
        {
            return;
        }
        // Whoever proved the password from this address (or with this cookie) gets a clean slate there;
        // the shared budgets only get this attempt back, so the owner's success does not undo strangers' failures.
        foreach (var charge in Charges(plan))
        {
            if (charge.Key.StartsWith(PairPrefix, StringComparison.Ordinal) || charge.Key.StartsWith(DevicePrefix, StringComparison.Ordinal))
            {
                await store.ResetAsync(charge.Key, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await store.AddAsync(charge.Key, -1, charge.Window, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The difficulty after <paramref name="failures"/> failures on the worst budget.</summary>
    public static int DifficultyFor(long failures, AccountOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (failures < o.LoginFailuresBeforePow)
        {
            return 0;
        }
        var extra = Math.Min(o.LoginPowMaxExtraBits, (failures - o.LoginFailuresBeforePow) * o.LoginPowBitsPerFailure);
        return (int)Math.Min(ProofOfWork.MaxDifficulty, o.PowDifficulty + extra);
    }

    private const string PairPrefix = "login:pair:";
    private const string DevicePrefix = "login:device:";

    private ThrottleCharge[] Charges(LoginPlan plan)
    {
        var o = options.Value;
        return plan.DeviceId is { } device
            ? [new(DevicePrefix + device, o.LoginFailuresBeforeLockout, o.LoginFailureWindow)]
            :
            [
                new(PairPrefix + plan.Username + "|" + plan.Address, o.LoginFailuresBeforeLockout, o.LoginFailureWindow),
                new("login:account:" + plan.Username, o.LoginAccountFailuresBeforeLockout, o.LoginFailureWindow),
                new("login:address:" + plan.Address, o.LoginAddressFailuresBeforeLockout, o.LoginFailureWindow),
            ];
    }

    private (string Key, int Limit)[] Leases(LoginPlan plan)
    {
        var o = options.Value;
        return plan.DeviceId is { } device
            ? [("login:open:device:" + device, o.MaxOpenLoginsPerDevice), ("login:open:address:" + plan.Address, o.MaxOpenLoginsPerAddress)]
            : [("login:open:account:" + plan.Username, o.MaxOpenLoginsPerAccount), ("login:open:address:" + plan.Address, o.MaxOpenLoginsPerAddress)];
    }

    private async Task ReleaseAsync(IEnumerable<(string Key, int Limit)> leases, string leaseId)
    {
        foreach (var (key, _) in leases)
        {
            await store.ReleaseLeaseAsync(key, leaseId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>An address as a throttle key: IPv4 as is, IPv6 by its /64 (one subscriber's usual allocation).</summary>
    private static string AddressText(IPAddress? address)
    {
        if (address is null)
        {
            return "-";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
