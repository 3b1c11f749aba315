using System.Security.Cryptography;
using Parley.Server.Tests.Cluster.Support;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Throttling;
using StackExchange.Redis;

namespace Parley.Server.Tests.Contract;

/// <summary>
/// The cluster's throttle state passes the same contract as the in-memory one, against a private
/// redis-server: the scripts are atomic (the concurrent cases), and time is the node's clock.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RedisThrottleStoreContract : ThrottleStoreContract, IClassFixture<RedisThrottleStoreContract.RedisFixture>
{
    /// <summary>The key that names counters (the nodes derive theirs from the shared server secret).</summary>
    public static readonly byte[] KeyMac = RandomNumberGenerator.GetBytes(RedisThrottleStore.KeyMacLength);

    private readonly RedisFixture redis;

    public RedisThrottleStoreContract(RedisFixture redis) => this.redis = redis;

    protected override IThrottleStore Create(ManualTimeProvider clock) =>
        new RedisThrottleStore(() => redis.Database, clock, KeyMac, "test:" + Guid.NewGuid().ToString("N") + ":");

    [Fact]
    public async Task Two_nodes_share_one_limit()
    {
        var clock = new ManualTimeProvider();
        var prefix = "nodes:" + Guid.NewGuid().ToString("N") + ":";
        var (a, b) = (new RedisThrottleStore(() => redis.Database, clock, KeyMac, prefix), new RedisThrottleStore(() => redis.Database, clock, KeyMac, prefix));
        var charge = new ThrottleCharge("login:account:alice", 10, TimeSpan.FromMinutes(15));
        var allowed = 0;
        for (var i = 0; i < 11; i++)
        {
            var node = i % 2 == 0 ? a : b;
            allowed += (await node.TryReserveAsync([charge], CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Allowed ? 1 : 0;
        }

        Assert.Equal(10, allowed);
        Assert.Equal(10, await b.GetAsync(charge.Key, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Redis_holds_no_counter_names_only_digests_of_them()
    {
        var prefix = "names:" + Guid.NewGuid().ToString("N") + ":";
        var store = new RedisThrottleStore(() => redis.Database, new ManualTimeProvider(), KeyMac, prefix);
        await store.TryReserveAsync([new("login:pair:alice|192.0.2.1", 10, TimeSpan.FromMinutes(15))], CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await store.TryAcquireLeaseAsync("login:open:account:alice", "lease", 4, TimeSpan.FromMinutes(1), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var keys = redis.Keys(prefix + "*").Select(k => k.ToString()).ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.DoesNotContain("alice", k, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.DoesNotContain("192.0.2.1", k, StringComparison.Ordinal));
        var other = new RedisThrottleStore(() => redis.Database, new ManualTimeProvider(), RandomNumberGenerator.GetBytes(RedisThrottleStore.KeyMacLength), prefix);
        Assert.Equal(0, await other.GetAsync("login:pair:alice|192.0.2.1", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await store.GetAsync("login:pair:alice|192.0.2.1", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_unconnected_redis_fails_closed_with_an_exception_not_an_allowance()
    {
        var store = new RedisThrottleStore(() => null, new ManualTimeProvider(), KeyMac);
        await Assert.ThrowsAsync<ThrottleStoreUnavailableException>(async () =>
            await store.TryReserveAsync([new("k", 1, TimeSpan.FromMinutes(1))], CancellationToken.None));
    }

    /// <summary>One redis-server and one connection for the class.</summary>
    public sealed class RedisFixture : IAsyncLifetime
    {
        private RedisServer? server;
        private ConnectionMultiplexer? connection;

        public IDatabase? Database => connection?.GetDatabase();

        /// <summary>The keys matching <paramref name="pattern"/> (SCAN, for tests that look inside Redis).</summary>
        public IEnumerable<RedisKey> Keys(string pattern) => connection!.GetServer(server!.Endpoint).Keys(pattern: pattern);

        public async Task InitializeAsync()
        {
            server = await RedisServer.StartAsync().WaitAsync(TimeSpan.FromMinutes(2));
            connection = await ConnectionMultiplexer.ConnectAsync(server.Endpoint).WaitAsync(TimeSpan.FromMinutes(1));
        }

        public async Task DisposeAsync()
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }
}
