using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary><c>parley-server stats</c> reads the running server's aggregates, pinning its certificate.</summary>
public sealed class StatsCommandScenarios : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Stats_prints_the_relay_aggregates_of_the_running_server()
    {
        await using var server = await ServerProcess.StartAsync("--data", _data.Path);
        var (exit, output) = await ServerProcess.RunCommandAsync("stats", "--data", _data.Path, "--url", $"http://127.0.0.1:{server.MetricsPort}");
        Assert.Equal(0, exit);
        Assert.Contains("connected_clients 0", output, StringComparison.Ordinal);
        Assert.Contains("messages_accepted_per_second 0", output, StringComparison.Ordinal);
        Assert.Contains("queue_depth 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_fails_cleanly_when_no_server_runs()
    {
        var (exit, output) = await ServerProcess.RunCommandAsync("stats", "--data", _data.Path, "--url", $"http://127.0.0.1:{FreePort.Next()}");
        Assert.Equal(1, exit);
        Assert.Contains("Cannot read", output, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}
