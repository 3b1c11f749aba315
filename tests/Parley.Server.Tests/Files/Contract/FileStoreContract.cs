using Parley.Server.Files;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Files.Contract;

/// <summary>
/// The blob metadata store's contract, run against SQLite and PostgreSQL: quota decided atomically
/// (at the limit and one past it, and under concurrent creation), compare-and-set offsets, expiry and
/// owner listings.
/// </summary>
public abstract class FileStoreContract
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    protected abstract IDatabase Database { get; }

    private async Task<SqlFileStore> StoreAsync()
    {
        await TestDatabases.MigrateAsync(Database, [new FilesMigrations()]);
        return new SqlFileStore(Database);
    }

    private static FileRecord NewRecord(string owner, long length, TimeSpan? ttl = null) =>
        new(BlobId.NewId(), owner, length, 0, Now, Now + (ttl ?? TimeSpan.FromHours(1)));

    private static string Owner() => Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Created_records_read_back_exactly()
    {
        var store = await StoreAsync();
        var record = NewRecord(Owner(), 12345);
        Assert.True(await store.TryCreateAsync(record, 1_000_000, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(record, await store.GetAsync(record.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await store.GetAsync(BlobId.NewId(), CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Quota_admits_exactly_the_limit_and_refuses_one_byte_more()
    {
        var store = await StoreAsync();
        string owner = Owner();
        Assert.True(await store.TryCreateAsync(NewRecord(owner, 600), 1000, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await store.TryCreateAsync(NewRecord(owner, 401), 1000, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await store.TryCreateAsync(NewRecord(owner, 400), 1000, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(1000, await store.GetUsageAsync(owner, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await store.TryCreateAsync(NewRecord(Owner(), 1000), 1000, Now, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Expired_records_do_not_count_against_the_quota()
    {
        var store = await StoreAsync();
        string owner = Owner();
        Assert.True(await store.TryCreateAsync(NewRecord(owner, 1000, TimeSpan.FromMinutes(1)), 1000, Now, CancellationToken.None).WaitAsync(Timeout));
        var later = Now.AddMinutes(1);
        Assert.Equal(0, await store.GetUsageAsync(owner, later, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await store.TryCreateAsync(NewRecord(owner, 1000) with { ExpiresAt = later.AddHours(1) }, 1000, later, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Concurrent_creations_never_overrun_the_quota()
    {
        var store = await StoreAsync();
        string owner = Owner();
        var attempts = Enumerable.Range(0, 12)
            .Select(_ => Task.Run(() => store.TryCreateAsync(NewRecord(owner, 250), 1000, Now, CancellationToken.None)));
        bool[] results = await Task.WhenAll(attempts).WaitAsync(Timeout);
        Assert.Equal(4, results.Count(r => r));
        Assert.Equal(1000, await store.GetUsageAsync(owner, Now, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Offsets_advance_only_from_the_expected_value_and_never_past_the_length()
    {
        var store = await StoreAsync();
        var record = NewRecord(Owner(), 100);
        await store.TryCreateAsync(record, 1000, Now, CancellationToken.None).WaitAsync(Timeout);
        var expires = Now.AddDays(1);
        Assert.True(await store.TryAdvanceAsync(record.Id, 0, 40, expires, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await store.TryAdvanceAsync(record.Id, 0, 80, expires, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await store.TryAdvanceAsync(record.Id, 40, 101, expires, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await store.TryAdvanceAsync(record.Id, 40, 100, expires, CancellationToken.None).WaitAsync(Timeout));
        var stored = await store.GetAsync(record.Id, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(100, stored!.Offset);
        Assert.True(stored.IsComplete);
        Assert.Equal(expires, stored.ExpiresAt);
    }

    [Fact]
    public async Task Expired_and_owned_records_are_listed_and_deleted_idempotently()
    {
        var store = await StoreAsync();
        string owner = Owner();
        var old = NewRecord(owner, 1, TimeSpan.FromMinutes(1));
        var fresh = NewRecord(owner, 1, TimeSpan.FromDays(1));
        var other = NewRecord(Owner(), 1, TimeSpan.FromDays(1));
        foreach (var r in new[] { old, fresh, other })
        {
            await store.TryCreateAsync(r, 1000, Now, CancellationToken.None).WaitAsync(Timeout);
        }

        var expired = await store.ListExpiredAsync(Now.AddMinutes(1), 100, CancellationToken.None).WaitAsync(Timeout);
        Assert.Contains(old.Id, expired);
        Assert.DoesNotContain(fresh.Id, expired);
        var owned = await store.ListByOwnerAsync(owner, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(new HashSet<BlobId> { old.Id, fresh.Id }, owned.ToHashSet());

        await store.DeleteAsync(old.Id, CancellationToken.None).WaitAsync(Timeout);
        await store.DeleteAsync(old.Id, CancellationToken.None).WaitAsync(Timeout);
        Assert.Null(await store.GetAsync(old.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.NotNull(await store.GetAsync(fresh.Id, CancellationToken.None).WaitAsync(Timeout));
    }
}

public sealed class FileStoreContractSqlite : FileStoreContract, IDisposable
{
    private readonly TempDirectory directory = new();

    public FileStoreContractSqlite() => Database = TestDatabases.Sqlite(directory);

    protected override IDatabase Database { get; }

    public void Dispose() => directory.Dispose();
}

public sealed class FileStoreContractPostgres(PostgresDatabaseFixture fixture) : FileStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    protected override IDatabase Database { get; } = TestDatabases.Postgres(fixture);
}
