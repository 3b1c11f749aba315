using Parley.Server.Tests.Infrastructure;
using Parley.Server.Throttling;

namespace Parley.Server.Tests.Contract;

/// <summary>
/// What every <see cref="IThrottleStore"/> must do (the in-memory default here; a cluster's shared
/// store derives from this class too): atomic all-or-nothing reservations, refunds, expiry that
/// restarts with each accepted charge, and capped leases.
/// </summary>
public abstract class ThrottleStoreContract
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>A fresh store whose clock is <paramref name="clock"/> (a shared store may ignore it and use short windows instead).</summary>
    protected abstract IThrottleStore Create(ManualTimeProvider clock);

    [Fact]
    public async Task A_reservation_is_allowed_up_to_the_limit_and_refused_one_past_it()
    {
        var store = Create(new ManualTimeProvider());
        var key = Key();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await store.TryReserveAsync([new(key, 3, Window)], CancellationToken.None).AsTask().WaitAsync(Timeout)).Allowed);
        }
        var refused = await store.TryReserveAsync([new(key, 3, Window)], CancellationToken.None).AsTask().WaitAsync(Timeout);
        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.RefusedIndex);
        Assert.True(refused.RetryAfter > TimeSpan.Zero && refused.RetryAfter <= Window);
        Assert.Equal(3, await store.GetAsync(key, CancellationToken.None).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_refused_reservation_charges_none_of_its_counters()
    {
        var store = Create(new ManualTimeProvider());
        var (free, full) = (Key(), Key());
        Assert.True((await store.TryReserveAsync([new(full, 1, Window)], CancellationToken.None).AsTask().WaitAsync(Timeout)).Allowed);
        var refused = await store.TryReserveAsync([new(free, 5, Window), new(full, 1, Window)], CancellationToken.None).AsTask().WaitAsync(Timeout);
        Assert.False(refused.Allowed);
        Assert.Equal(1, refused.RefusedIndex);
        Assert.Equal(0, await store.GetAsync(free, CancellationToken.None).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Concurrent_reservations_never_pass_the_limit()
    {
        var store = Create(new ManualTimeProvider());
        var (a, b) = (Key(), Key());
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(async () => await store.TryReserveAsync([new(a, 50, Window), new(b, 70, Window)], CancellationToken.None)))).WaitAsync(Timeout);
        Assert.Equal(50, results.Count(r => r.Allowed));
        Assert.Equal(50, await store.GetAsync(a, CancellationToken.None).AsTask().WaitAsync(Timeout));
        Assert.Equal(50, await store.GetAsync(b, CancellationToken.None).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Refunds_never_go_below_zero_and_reset_deletes()
    {
        var store = Create(new ManualTimeProvider());
        var key = Key();
        Assert.Equal(2, await store.AddAsync(key, 2, Window, CancellationToken.None).AsTask().WaitAsync(Timeout));
        Assert.Equal(0, await store.AddAsync(key, -5, Window, CancellationToken.None).AsTask().WaitAsync(Timeout));
        await store.AddAsync(key, 4, Window, CancellationToken.None);
        await store.ResetAsync(key, CancellationToken.None);
        Assert.Equal(0, await store.GetAsync(key, CancellationToken.None).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_counter_expires_a_window_after_its_last_accepted_charge()
    {
        var clock = new ManualTimeProvider();
        var store = Create(clock);
        var key = Key();
        await store.TryReserveAsync([new(key, 2, Window)], CancellationToken.None);
        clock.Advance(Window - TimeSpan.FromMinutes(1));
        await store.TryReserveAsync([new(key, 2, Window)], CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False((await store.TryReserveAsync([new(key, 2, Window)], CancellationToken.None)).Allowed);
        clock.Advance(Window);
        Assert.Equal(0, await store.GetAsync(key, CancellationToken.None));
        Assert.True((await store.TryReserveAsync([new(key, 2, Window)], CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Leases_are_capped_renewable_released_and_expire()
    {
        var clock = new ManualTimeProvider();
        var store = Create(clock);
        var key = Key();
        var life = TimeSpan.FromMinutes(1);
        Assert.True(await store.TryAcquireLeaseAsync(key, "a", 2, life, CancellationToken.None));
        Assert.True(await store.TryAcquireLeaseAsync(key, "b", 2, life, CancellationToken.None));
        Assert.True(await store.TryAcquireLeaseAsync(key, "a", 2, life, CancellationToken.None));
        Assert.False(await store.TryAcquireLeaseAsync(key, "c", 2, life, CancellationToken.None));
        await store.ReleaseLeaseAsync(key, "b", CancellationToken.None);
        Assert.True(await store.TryAcquireLeaseAsync(key, "c", 2, life, CancellationToken.None));
        Assert.False(await store.TryAcquireLeaseAsync(key, "d", 2, life, CancellationToken.None));
        clock.Advance(life + TimeSpan.FromSeconds(1));
        Assert.True(await store.TryAcquireLeaseAsync(key, "d", 2, life, CancellationToken.None));
        Assert.True(await store.TryAcquireLeaseAsync(key, "e", 2, life, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_leases_never_pass_the_cap()
    {
        var store = Create(new ManualTimeProvider());
        var key = Key();
        var taken = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(async () => await store.TryAcquireLeaseAsync(key, "l" + i, 7, TimeSpan.FromMinutes(1), CancellationToken.None)))).WaitAsync(Timeout);
        Assert.Equal(7, taken.Count(t => t));
    }

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");
}

public sealed class MemoryThrottleStoreContract : ThrottleStoreContract
{
    protected override IThrottleStore Create(ManualTimeProvider clock) => new MemoryThrottleStore(clock);
}
