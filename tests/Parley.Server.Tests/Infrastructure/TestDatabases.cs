using Microsoft.Extensions.Logging.Abstractions;
using Parley.Server.Accounts;
using Parley.Server.Storage;
using Parley.Server.Storage.Postgres;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>Opens real databases for contract tests, migrated with the given schema sources.</summary>
public static class TestDatabases
{
    /// <summary>The server's own schema (what the relay adds goes in its own list).</summary>
    public static IReadOnlyList<IMigrationSource> ServerSchema { get; } = [new AccountMigrations(), new Parley.Server.Keys.KeyMigrations()];

    /// <summary>A SQLite database file in <paramref name="directory"/>.</summary>
    public static SqliteDatabase Sqlite(TempDirectory directory) =>
        new($"Data Source={Path.Combine(directory.Path, "contract.db")}");

    /// <summary>A PostgreSQL database from a fixture.</summary>
    public static PostgresDatabase Postgres(PostgresDatabaseFixture fixture) => new(fixture.ConnectionString);

    /// <summary>Applies migrations; returns how many were applied.</summary>
    public static Task<int> MigrateAsync(IDatabase database, IEnumerable<IMigrationSource>? sources = null) =>
        new MigrationRunner(database, sources ?? ServerSchema, TimeProvider.System, NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
}
