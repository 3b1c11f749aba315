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
    private readonly RedisFixture redis;

    public RedisThrottleStoreContract(RedisFixture redis) => this.redis = redis;

    protected override IThrottleStore Create(ManualTimeProvider clock) =>
        new RedisThrottleStore(() => redis.Database, clock, "test:" + Guid.NewGuid().ToString("N") + ":");

    [Fact]
    public async Task Two_nodes_share_one_limit()
    {
        var clock = new ManualTimeProvider();
        var prefix = "nodes:" + Guid.NewGuid().ToString("N") + ":";
        var (a, b) = (new RedisThrottleStore(() => redis.Database, clock, prefix), new RedisThrottleStore(() => redis.Database, clock, prefix));
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
    public async Task An_unreachable_redis_fails_closed_with_an_exception_not_an_allowance()
    {
        var store = new RedisThrottleStore(() => null, new ManualTimeProvider());
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await store.TryReserveAsync([new("k", 1, TimeSpan.FromMinutes(1))], CancellationToken.None));
    }

    /// <summary>One redis-server and one connection for the class.</summary>
    public sealed class RedisFixture : IAsyncLifetime
    {
        private RedisServer? server;
        private ConnectionMultiplexer? connection;

        public IDatabase? Database => connection?.GetDatabase();

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
