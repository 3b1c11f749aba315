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

    [Fact]
    public async Task Stats_cluster_reads_every_node_and_prints_their_sums()
    {
        using var second = new TempDirectory();
        await using var one = await ServerProcess.StartAsync("--data", _data.Path);
        await using var two = await ServerProcess.StartAsync("--data", second.Path);
        var (exit, output) = await ServerProcess.RunCommandAsync("stats", "--data", _data.Path,
            "--cluster", $"http://127.0.0.1:{one.MetricsPort}", $"http://127.0.0.1:{two.MetricsPort}");
        Assert.True(exit == 0, output);
        Assert.Contains("nodes 2", output, StringComparison.Ordinal);
        Assert.Contains("connected_clients 0", output, StringComparison.Ordinal);

        await two.DisposeAsync();
        (exit, output) = await ServerProcess.RunCommandAsync("stats", "--data", _data.Path,
            "--cluster", $"http://127.0.0.1:{one.MetricsPort}", $"http://127.0.0.1:{two.MetricsPort}");
        Assert.Equal(1, exit);
        Assert.Contains("Cannot read", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cluster", "not-a-url")]
    [InlineData("--cluster", "ftp://127.0.0.1:9464")]
    [InlineData("--url", "http://127.0.0.1:9464", "--cluster", "http://127.0.0.1:9465")]
    public async Task Stats_refuses_a_bad_cluster_list_as_a_usage_error(params string[] args)
    {
        var (exit, output) = await ServerProcess.RunCommandAsync(["stats", "--data", _data.Path, .. args]);
        Assert.True(exit == 2, output);
        Assert.Contains("--", output, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}
