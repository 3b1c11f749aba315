using Microsoft.Extensions.Logging;

namespace Parley.Server.Storage;

/// <summary>
/// Applies every registered <see cref="IMigrationSource"/>'s pending migrations, each in its own
/// transaction together with its row in <c>schema_migrations</c>, so a crash leaves either the whole
/// migration or none of it. On PostgreSQL an advisory lock keeps several nodes starting at once from
/// applying the same migration twice.
/// </summary>
public sealed partial class MigrationRunner(
    IDatabase database,
    IEnumerable<IMigrationSource> sources,
    TimeProvider time,
    ILogger<MigrationRunner> logger)
{
    private const long PostgresAdvisoryLockKey = 0x5061726C6579; // "Parley"

    private const string CreateTableSql =
        "CREATE TABLE IF NOT EXISTS schema_migrations (" +
        "component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL, " +
        "PRIMARY KEY (component, version))";

    /// <summary>Applies all pending migrations; returns how many were applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var source in sources)
        {
            ValidateOrder(source);
            foreach (var migration in source.Migrations)
            {
                if (await ApplyOneAsync(connection, source.Component, migration, cancellationToken).ConfigureAwait(false))
                {
                    applied++;
                    LogApplied(logger, source.Component, migration.Version, migration.Name);
                }
            }
        }
        return applied;
    }

    private async Task<bool> ApplyOneAsync(
        System.Data.Common.DbConnection connection, string component, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await using var lockCommand = connection.CreateCommand("SELECT pg_advisory_xact_lock(@key)", transaction)
                .With("key", PostgresAdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var create = connection.CreateCommand(CreateTableSql, transaction))
        {
            await create.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var check = connection.CreateCommand(
            "SELECT COUNT(*) FROM schema_migrations WHERE component = @c AND version = @v", transaction)
            .With("c", component).With("v", migration.Version))
        {
            var count = Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture);
            if (count > 0)
            {
                return false;
            }
        }
        await using (var apply = connection.CreateCommand(migration.SqlFor(database.Kind), transaction))
        {
            await apply.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var record = connection.CreateCommand(
            "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (@c, @v, @n, @t)", transaction)
            .With("c", component).With("v", migration.Version).With("n", migration.Name)
            .With("t", time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            await record.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static void ValidateOrder(IMigrationSource source)
    {
        var expected = 1;
        foreach (var migration in source.Migrations)
        {
            if (migration.Version != expected)
            {
                throw new InvalidOperationException(
                    $"Migrations of component '{source.Component}' must be numbered 1, 2, 3, … without gaps.");
            }
            expected++;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied migration {Component} {Version}: {Name}")]
    private static partial void LogApplied(ILogger logger, string component, int version, string name);
}

/// <summary>Runs <see cref="MigrationRunner"/> before the server starts listening.</summary>
internal sealed class MigrationHostedService(MigrationRunner runner) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
