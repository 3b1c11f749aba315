using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Server.Storage.Postgres;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Storage;

/// <summary>Registers the database and the migration runner.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IDatabase"/> (SQLite or PostgreSQL per <see cref="StorageOptions"/>) and the
    /// start-up migration step. Features add their schema with <c>AddSingleton&lt;IMigrationSource, …&gt;</c>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<StorageOptions>(StorageOptions.SectionName);
        // /readyz: the database answers a trivial query.
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadinessTag]);
        services.AddSingleton<IDatabase>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.ParseKind() switch
            {
                DatabaseKind.Postgres => new PostgresDatabase(options.ConnectionString
                    ?? throw new InvalidOperationException("Storage:ConnectionString is required for PostgreSQL.")),
                _ => new SqliteDatabase(options.ConnectionString ?? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(sp.GetRequiredService<ServerDataDirectory>().Path, StorageOptions.DefaultSqliteFileName),
                }.ToString()),
            };
        });
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrationHostedService>();
        return services;
    }
}
