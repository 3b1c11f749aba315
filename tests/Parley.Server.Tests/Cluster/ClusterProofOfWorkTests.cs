using Parley.Server.Hosting;
using Parley.Server.Tests.Contract;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Throttling;
using static Parley.Server.Tests.Properties.ProofOfWorkServiceTests;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// Issue 13: the registration proof-of-work difficulty is cluster-wide — registrations counted on
/// one node raise the difficulty every node asks for (the counters live in a private redis-server).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterProofOfWorkTests : IClassFixture<RedisThrottleStoreContract.RedisFixture>, IDisposable
{
    private readonly RedisThrottleStoreContract.RedisFixture redis;
    private readonly TempDirectory directory = new();
    private readonly ServerSecret secret;

    public ClusterProofOfWorkTests(RedisThrottleStoreContract.RedisFixture redis)
    {
        this.redis = redis;
        secret = new ServerSecret(new ServerDataDirectory(directory.Path));
    }

    [Fact]
    public async Task Registrations_spread_over_two_nodes_raise_the_difficulty_on_both()
    {
        var clock = ClockAt(TimeSpan.FromSeconds(20));
        var prefix = "pow:" + Guid.NewGuid().ToString("N") + ":";
        var a = Service(secret, new RedisThrottleStore(() => redis.Database, clock, RedisThrottleStoreContract.KeyMac, prefix), clock);
        var b = Service(secret, new RedisThrottleStore(() => redis.Database, clock, RedisThrottleStoreContract.KeyMac, prefix), clock);
        await RegisterAsync(a, 2);
        await RegisterAsync(b, 1);
        Assert.Equal(Base, await DifficultyAsync(a)); // three in all: at the threshold
        await RegisterAsync(b, 1);
        Assert.Equal(Raised, await DifficultyAsync(a));
        Assert.Equal(Raised, await DifficultyAsync(b));
        Assert.Equal(Raised, (await a.IssueAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30))).Difficulty);
    }

    public void Dispose()
    {
        secret.Dispose();
        directory.Dispose();
    }
}
