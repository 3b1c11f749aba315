using Microsoft.Extensions.Options;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Throttling;

namespace Parley.Server.Tests.Properties;

/// <summary>
/// The registration difficulty rises while registrations exceed the threshold over the last minute
/// (a sliding window over per-minute counters in the throttle store) and falls back as they age.
/// </summary>
public sealed class ProofOfWorkServiceTests : IDisposable
{
    /// <summary>Registrations per minute the tests' servers tolerate before raising the difficulty.</summary>
    public const int Threshold = 3;

    /// <summary>Base difficulty of the tests' servers.</summary>
    public const int Base = 10;

    /// <summary>Difficulty under load.</summary>
    public const int Raised = 14;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory directory = new();
    private readonly ServerSecret secret;

    public ProofOfWorkServiceTests() => secret = new ServerSecret(new ServerDataDirectory(directory.Path));

    [Fact]
    public async Task Difficulty_rises_one_past_the_threshold_and_challenges_carry_it()
    {
        var clock = ClockAt(TimeSpan.FromSeconds(20));
        var service = Service(secret, new MemoryThrottleStore(clock), clock);
        Assert.Equal(Base, await DifficultyAsync(service));
        await RegisterAsync(service, Threshold);
        Assert.Equal(Base, await DifficultyAsync(service)); // at the threshold, not over it
        await RegisterAsync(service, 1);
        Assert.Equal(Raised, await DifficultyAsync(service));
        var challenge = await service.IssueAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(Raised, challenge.Difficulty);
        Assert.Equal(Raised, Convert.FromBase64String(challenge.Challenge)[16]);
        Assert.Equal(Raised + 2, (await service.IssueAsync(CancellationToken.None, Raised + 2).WaitAsync(Timeout)).Difficulty);
    }

    [Fact]
    public async Task A_burst_across_the_turn_of_a_minute_counts_whole()
    {
        var clock = ClockAt(TimeSpan.FromSeconds(59));
        var service = Service(secret, new MemoryThrottleStore(clock), clock);
        await RegisterAsync(service, 2);
        clock.Advance(TimeSpan.FromSeconds(2));
        await RegisterAsync(service, 2);
        Assert.Equal(Raised, await DifficultyAsync(service));
    }

    [Fact]
    public async Task Difficulty_falls_as_the_burst_leaves_the_last_minute_and_is_base_two_minutes_later()
    {
        var clock = ClockAt(TimeSpan.Zero);
        var service = Service(secret, new MemoryThrottleStore(clock), clock);
        await RegisterAsync(service, Threshold + 1);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(Raised, await DifficultyAsync(service)); // estimated 4 × 59/60 > 3: the window is approximate
        clock.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(Base, await DifficultyAsync(service)); // 4 × 45/60 = 3, not over
        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(Base, await DifficultyAsync(service));
    }

    public void Dispose()
    {
        secret.Dispose();
        directory.Dispose();
    }

    /// <summary>A service as a node builds it, on <paramref name="store"/>.</summary>
    internal static ProofOfWorkService Service(ServerSecret secret, IThrottleStore store, TimeProvider clock)
    {
        var options = Options.Create(new AccountOptions { PowDifficulty = Base, PowDifficultyIncreaseUnderLoad = Raised - Base, RegistrationsPerMinuteThreshold = Threshold });
        return new ProofOfWorkService(options, secret, null!, store, clock);
    }

    /// <summary>A clock <paramref name="into"/> a minute of the Unix clock.</summary>
    internal static ManualTimeProvider ClockAt(TimeSpan into)
    {
        var clock = new ManualTimeProvider();
        var minute = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        clock.Advance(TimeSpan.FromMilliseconds(minute - (now % minute)) + into);
        return clock;
    }

    internal static async Task RegisterAsync(ProofOfWorkService service, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await service.RecordRegistrationAsync(CancellationToken.None).WaitAsync(Timeout);
        }
    }

    internal static Task<int> DifficultyAsync(ProofOfWorkService service) =>
        service.CurrentDifficultyAsync(CancellationToken.None).WaitAsync(Timeout);
}
