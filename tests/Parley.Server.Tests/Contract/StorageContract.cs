using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract;

/// <summary>
/// The storage infrastructure's contract, run against SQLite and PostgreSQL: migrations apply once
/// and are recorded, and the session store behaves identically.
/// </summary>
public abstract class StorageContract
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A fresh, empty database of the engine under test.</summary>
    protected abstract IDatabase Database { get; }

    [Fact]
    public async Task Migrations_apply_once_and_are_recorded()
    {
        await TestDatabases.MigrateAsync(Database);
        var second = await TestDatabases.MigrateAsync(Database);
        Assert.Equal(0, second);
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand("SELECT COUNT(*) FROM schema_migrations WHERE component = 'accounts'");
        Assert.Equal((long)new AccountMigrations().Migrations.Count,
            Convert.ToInt64(await command.ExecuteScalarAsync().WaitAsync(Timeout), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Misnumbered_migrations_are_refused()
    {
        var bad = new FixedSource("bad", [new Migration(2, "gap", "SELECT 1", "SELECT 1")]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => TestDatabases.MigrateAsync(Database, [bad]));
    }

    [Fact]
    public async Task Sessions_are_found_by_hash_revoked_singly_and_all_at_once()
    {
        await TestDatabases.MigrateAsync(Database);
        var account = await CreateAccountRowAsync("sessions" + Random.Shared.Next(1_000_000));
        var store = new SqlSessionTokenStore(Database);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var (_, first) = SessionToken.Create();
        var (_, second) = SessionToken.Create();
        await store.CreateAsync(first, account, now, now.AddDays(30), CancellationToken.None).WaitAsync(Timeout);
        await store.CreateAsync(second, account, now, now.AddDays(30), CancellationToken.None).WaitAsync(Timeout);

        var found = await store.FindAsync(first, CancellationToken.None).WaitAsync(Timeout);
        Assert.NotNull(found);
        Assert.Equal(account, found.AccountId);
        Assert.Equal(now.AddDays(30), found.ExpiresAt);

        Assert.True(await store.RevokeAsync(first, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await store.RevokeAsync(first, CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await store.FindAsync(first, CancellationToken.None).WaitAsync(Timeout));
        Assert.NotNull(await store.FindAsync(second, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(1, await store.RevokeAllAsync(account, CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await store.FindAsync(second, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Expired_sessions_are_purged()
    {
        await TestDatabases.MigrateAsync(Database);
        var account = await CreateAccountRowAsync("expired" + Random.Shared.Next(1_000_000));
        var store = new SqlSessionTokenStore(Database);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        var (_, old) = SessionToken.Create();
        var (_, fresh) = SessionToken.Create();
        await store.CreateAsync(old, account, now.AddDays(-31), now.AddDays(-1), CancellationToken.None).WaitAsync(Timeout);
        await store.CreateAsync(fresh, account, now, now.AddDays(1), CancellationToken.None).WaitAsync(Timeout);
        Assert.True(await store.DeleteExpiredAsync(now, CancellationToken.None).WaitAsync(Timeout) >= 1);
        Assert.Null(await store.FindAsync(old, CancellationToken.None).WaitAsync(Timeout));
        Assert.NotNull(await store.FindAsync(fresh, CancellationToken.None).WaitAsync(Timeout));
    }

    /// <summary>Inserts a bare account row (for store tests below the account service).</summary>
    protected async Task<AccountId> CreateAccountRowAsync(string username)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand(
            "INSERT INTO accounts (username, srp_salt, verifier, argon_salt, argon_memory_kib, argon_iterations, argon_parallelism, created_at) " +
            "VALUES (@u, @s, @s, @s, 1024, 1, 1, 0) RETURNING id").With("u", username).With("s", new byte[] { 1 });
        return new AccountId(Convert.ToInt64(await command.ExecuteScalarAsync().WaitAsync(Timeout), System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record FixedSource(string Component, IReadOnlyList<Migration> Migrations) : IMigrationSource;
}

public sealed class StorageContractSqlite : StorageContract, IDisposable
{
    private readonly TempDirectory directory = new();

    public StorageContractSqlite() => Database = TestDatabases.Sqlite(directory);

    protected override IDatabase Database { get; }

    public void Dispose() => directory.Dispose();
}

public sealed class StorageContractPostgres(PostgresDatabaseFixture fixture) : StorageContract, IClassFixture<PostgresDatabaseFixture>
{
    protected override IDatabase Database { get; } = TestDatabases.Postgres(fixture);
}
