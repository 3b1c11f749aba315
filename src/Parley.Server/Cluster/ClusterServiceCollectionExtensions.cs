using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Server.Relay;
using Parley.Server.Storage;
using Parley.Server.Throttling;

namespace Parley.Server.Cluster;

/// <summary>Registration of cross-node operation: active only when <c>Cluster:Redis</c> is set.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Cluster:Redis</c> configured, replaces the single-node relay edges with the Redis ones,
    /// the in-memory throttle state with the shared <see cref="RedisThrottleStore"/> (the rate
    /// limits, login throttling and lockouts on <see cref="IThrottleStore"/>, and the proof-of-work
    /// difficulty that grows with login failures, then hold cluster-wide) and adds the
    /// sweeper; otherwise changes nothing. Call after <c>AddRelay</c>.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<ClusterOptions>(ClusterOptions.SectionName);
        var options = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton<RedisRelayCluster>();
        services.AddSingleton<IRelayCluster>(sp => sp.GetRequiredService<RedisRelayCluster>());
        services.Replace(ServiceDescriptor.Singleton<IThrottleStore>(sp =>
        {
            var cluster = sp.GetRequiredService<RedisRelayCluster>();
            var keyMac = sp.GetRequiredService<ServerSecret>().Derive("throttle-key-mac", []);
            return new RedisThrottleStore(() => cluster.Database, sp.GetRequiredService<TimeProvider>(), keyMac);
        }));
        services.AddSingleton<CatchUpScheduler>();
        services.AddHostedService<ClusterStart>();
        services.AddHostedService<ClusterSweeper>();
        return services;
    }

    /// <summary>Connects the cluster link at start-up, after checking the storage is shared (PostgreSQL).</summary>
    private sealed class ClusterStart(RedisRelayCluster cluster, IDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (database.Kind != DatabaseKind.Postgres)
            {
                throw new ServerConfigurationException(
                    "Cluster:Redis needs Storage:Provider=postgres: every node must share one PostgreSQL queue.");
            }

            return cluster.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
