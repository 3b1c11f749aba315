using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Server.Relay;
using Parley.Server.Storage;

namespace Parley.Server.Cluster;

/// <summary>Registration of cross-node operation: active only when <c>Cluster:Redis</c> is set.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Cluster:Redis</c> configured, replaces the single-node relay edges with the Redis ones and
    /// adds the sweeper; otherwise changes nothing. Call after <c>AddRelay</c>.
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
