using System.Globalization;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Cluster.Support;

/// <summary>
/// A private redis-server (Debian's redis-server 7, installed by .ci/run) on a free port on 127.0.0.1,
/// no persistence. It can be stopped and started again on the same port (the outage scenario).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ExternalProcess? process;

    private RedisServer(int port) => Port = port;

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The <c>Cluster:Redis</c> value for this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port; waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        const string binary = "/usr/bin/redis-server";
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} is missing: install redis-server (.ci/run does this).");
        }

        process = await ExternalProcess.StartAsync(binary,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            line => line.Contains("Ready to accept connections", StringComparison.Ordinal));
    }

    /// <summary>Kills the server (SIGKILL): every client connection drops at once.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());
}
