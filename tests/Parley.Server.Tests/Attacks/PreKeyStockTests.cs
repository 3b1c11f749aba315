using System.Net;
using System.Net.Http.Json;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Parley.Wire.Rest;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// Issue 14, item 4: a fetch that leaves the owner's one-time prekeys low pushes a
/// <see cref="PreKeyStock"/> frame to the owner, so the client refills; once they are gone, bundles
/// still come, on the last-resort key.
/// </summary>
public abstract class PreKeyStockTests : IAsyncLifetime
{
    private readonly RelayHost _host;

    protected PreKeyStockTests(DatabaseKind kind, string? connectionString) =>
        _host = new RelayHost(kind, connectionString, new Dictionary<string, string?> { ["Keys:LowPreKeyThreshold"] = "2", ["Keys:FetchesPerPairPerHour"] = "10" });

    [Fact]
    public async Task A_fetch_that_leaves_the_stock_low_tells_the_owner_and_exhaustion_falls_back_to_the_last_resort_key()
    {
        var bob = await _host.CreateUserAsync("bob");
        var alice = await _host.CreateUserAsync("alice");
        using var keys = new TestKeys();
        using (var bobHttp = _host.Http(bob))
        {
            await keys.PublishAsync(bobHttp);
            (await TestKeys.ExpectAsync(bobHttp.PostAsJsonAsync("/v1/keys/one-time-prekeys", new OneTimePreKeysUpload(TestKeys.OneTime(1, 3)), RestJson.Options),
                HttpStatusCode.OK)).Dispose();
            (await TestKeys.ExpectAsync(bobHttp.PostAsJsonAsync("/v1/keys/kem-prekeys", new KemPreKeysUpload(keys.Kem(1, 3)), RestJson.Options),
                HttpStatusCode.OK)).Dispose();
        }

        await using var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        using var aliceHttp = _host.Http(alice);
        await TestKeys.RequestContactAsync(aliceHttp, bob.Username);

        // 3 -> 2 left: not below the low-water mark of 2, nothing is pushed.
        Assert.NotNull((await TestKeys.FetchAsync(aliceHttp, bob.Username)).OneTimePreKey);
        // 2 -> 1: below it; the owner hears how many are left of each kind.
        Assert.NotNull((await TestKeys.FetchAsync(aliceHttp, bob.Username)).OneTimePreKey);
        var stock = (await b.NextAsync(Kind.PrekeyStock)).PrekeyStock;
        Assert.Equal(new PreKeyStock { OneTimePrekeys = 1, KemPrekeys = 1, LowWater = 2 }, stock);

        Assert.NotNull((await TestKeys.FetchAsync(aliceHttp, bob.Username)).OneTimePreKey);
        Assert.Equal(new PreKeyStock { OneTimePrekeys = 0, KemPrekeys = 0, LowWater = 2 }, (await b.NextAsync(Kind.PrekeyStock)).PrekeyStock);
        var exhausted = await TestKeys.FetchAsync(aliceHttp, bob.Username);
        Assert.Null(exhausted.OneTimePreKey);
        Assert.True(exhausted.KemPreKey.IsLastResort);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();
}

public sealed class PreKeyStockTestsSqlite() : PreKeyStockTests(DatabaseKind.Sqlite, null);

public sealed class PreKeyStockTestsPostgres(PostgresDatabaseFixture fixture)
    : PreKeyStockTests(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
