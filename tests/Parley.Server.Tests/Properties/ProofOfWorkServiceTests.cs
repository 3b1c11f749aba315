using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Properties;

/// <summary>The proof-of-work difficulty rises while registrations exceed the threshold and falls after a quiet minute.</summary>
public sealed class ProofOfWorkServiceTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Fact]
    public void Difficulty_rises_under_load_and_returns_after_a_minute()
    {
        var clock = new ManualTimeProvider();
        var options = Options.Create(new AccountOptions { PowDifficulty = 10, PowDifficultyIncreaseUnderLoad = 4, RegistrationsPerMinuteThreshold = 3 });
        using var secret = new ServerSecret(new ServerDataDirectory(directory.Path));
        var service = new ProofOfWorkService(options, secret, null!, clock);
        Assert.Equal(10, service.CurrentDifficulty);
        for (var i = 0; i < 3; i++)
        {
            service.RecordRegistration();
        }
        Assert.Equal(10, service.CurrentDifficulty); // at the threshold, not over it
        service.RecordRegistration();
        Assert.Equal(14, service.CurrentDifficulty);
        Assert.Equal(14, service.Issue().Difficulty);
        Assert.Equal(14, Convert.FromBase64String(service.Issue().Challenge)[16]);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(10, service.CurrentDifficulty);
        Assert.True(ProofOfWork.MaxDifficulty >= 14);
    }

    public void Dispose() => directory.Dispose();
}
