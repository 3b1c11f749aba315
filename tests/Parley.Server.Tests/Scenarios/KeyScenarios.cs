using System.Net;
using System.Net.Http.Json;
using Parley.Crypto.Keys;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;
using static Parley.Server.Tests.Infrastructure.TestKeys;

namespace Parley.Server.Tests.Scenarios;

/// <summary>Bob publishes keys; Alice fetches bundles; the server checks every key and never hands a one-time key out twice.</summary>
public abstract class KeyScenarios : IDisposable
{
    private readonly ParleyServerFactory factory;

    protected KeyScenarios(DatabaseKind kind, string? connectionString) =>
        factory = new ParleyServerFactory(kind, connectionString, new Dictionary<string, string?>
        {
            ["Keys:FetchesPerPairPerHour"] = "200",
            ["Keys:FetchesPerRequesterPerHour"] = "200",
            ["Keys:FetchesPerTargetPerHour"] = "200",
        });

    [Fact]
    public async Task A_published_bundle_verifies_and_carries_one_time_keys()
    {
        var bob = NewUsername("bob");
        using var bobClient = await SignedUpClientAsync(factory.CreateClient, bob);
        using var alice = await SignedUpClientAsync(factory.CreateClient, NewUsername("alice"));
        using var keys = new TestKeys();
        await keys.PublishAsync(bobClient);
        (await ExpectAsync(bobClient.PostAsJsonAsync("/v1/keys/one-time-prekeys", new OneTimePreKeysUpload(OneTime(1, 3)), RestJson.Options), HttpStatusCode.OK)).Dispose();
        (await ExpectAsync(bobClient.PostAsJsonAsync("/v1/keys/kem-prekeys", new KemPreKeysUpload(keys.Kem(1, 2)), RestJson.Options), HttpStatusCode.OK)).Dispose();

        var count = await bobClient.GetFromJsonAsync<PreKeyCountResponse>("/v1/keys/count", RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(new PreKeyCountResponse(3, 2, true, true, true, true, Convert.ToBase64String(keys.Identity.PublicKey.Serialize())), count);

        await RequestContactAsync(alice, bob);
        var bundle = await FetchAsync(alice, bob);
        Assert.Equal(bob, bundle.AccountId);
        Assert.Equal(keys.Identity.PublicKey, bundle.IdentityKey);
        Assert.Equal(new PreKeyId(1), bundle.OneTimePreKey?.Id);
        Assert.False(bundle.KemPreKey.IsLastResort);

        var left = await bobClient.GetFromJsonAsync<PreKeyCountResponse>("/v1/keys/count", RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(2, left!.OneTimePreKeys);
        Assert.Equal(1, left.KemPreKeys);
    }

    [Fact]
    public async Task Fifty_concurrent_fetches_get_fifty_distinct_one_time_keys_then_last_resort()
    {
        var bob = NewUsername("bob");
        using var bobClient = await SignedUpClientAsync(factory.CreateClient, bob);
        using var keys = new TestKeys();
        await keys.PublishAsync(bobClient);
        (await ExpectAsync(bobClient.PostAsJsonAsync("/v1/keys/one-time-prekeys", new OneTimePreKeysUpload(OneTime(1, 50)), RestJson.Options), HttpStatusCode.OK)).Dispose();
        for (uint batch = 0; batch < 3; batch++)
        {
            var kem = keys.Kem(1 + batch * 20, batch == 2 ? 10 : 20);
            (await ExpectAsync(bobClient.PostAsJsonAsync("/v1/keys/kem-prekeys", new KemPreKeysUpload(kem), RestJson.Options), HttpStatusCode.OK)).Dispose();
        }
        using var alice = await SignedUpClientAsync(factory.CreateClient, NewUsername("alice"));
        await RequestContactAsync(alice, bob);

        var bundles = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => FetchAsync(alice, bob))))
            .WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(50, bundles.Select(b => b.OneTimePreKey!.Id).Distinct().Count());
        Assert.Equal(50, bundles.Select(b => b.KemPreKey.Id).Distinct().Count());
        Assert.All(bundles, b => Assert.False(b.KemPreKey.IsLastResort));
        var after = await FetchAsync(alice, bob);
        Assert.Null(after.OneTimePreKey);
        Assert.True(after.KemPreKey.IsLastResort);
    }

    [Fact]
    public async Task Keys_not_signed_by_the_stored_identity_are_refused()
    {
        using var client = await SignedUpClientAsync(factory.CreateClient, NewUsername("carol"));
        using var keys = new TestKeys();
        using var other = new TestKeys();
        (await ExpectAsync(client.PutAsJsonAsync("/v1/keys/signed-prekey", new SignedPreKeyUpload(Convert.ToBase64String(keys.SignedPreKey)), RestJson.Options),
            HttpStatusCode.Conflict)).Dispose(); // no identity yet
        await keys.PublishAsync(client);
        (await ExpectAsync(client.PutAsJsonAsync("/v1/keys/signed-prekey", new SignedPreKeyUpload(Convert.ToBase64String(other.SignedPreKey)), RestJson.Options),
            HttpStatusCode.BadRequest)).Dispose();
        (await ExpectAsync(client.PostAsJsonAsync("/v1/keys/kem-prekeys", new KemPreKeysUpload(other.Kem(1, 1)), RestJson.Options),
            HttpStatusCode.BadRequest)).Dispose();
        (await ExpectAsync(client.PutAsJsonAsync("/v1/keys/kem-last-resort", new KemLastResortUpload(keys.Kem(5, 1)[0]), RestJson.Options),
            HttpStatusCode.BadRequest)).Dispose(); // not flagged last-resort
        (await ExpectAsync(client.PutAsJsonAsync("/v1/keys/cipher-suites", new CipherSuitesUpload(Convert.ToBase64String(other.Suites)), RestJson.Options),
            HttpStatusCode.BadRequest)).Dispose();
        var lowOrder = new byte[OneTimePreKey.SerializedSize];
        Convert.FromBase64String(OneTime(9, 1)[0]).AsSpan(0, 6).CopyTo(lowOrder); // header and id, then an all-zero (low-order) point
        (await ExpectAsync(client.PostAsJsonAsync("/v1/keys/one-time-prekeys", new OneTimePreKeysUpload([Convert.ToBase64String(lowOrder)]), RestJson.Options),
            HttpStatusCode.BadRequest)).Dispose();
        var count = await client.GetFromJsonAsync<PreKeyCountResponse>("/v1/keys/count", RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(0, count!.OneTimePreKeys);
        Assert.Equal(0, count.KemPreKeys);
    }

    [Fact]
    public async Task An_identity_belongs_to_one_account_and_changes_only_by_explicit_replacement()
    {
        var bob = NewUsername("bob");
        using var bobClient = await SignedUpClientAsync(factory.CreateClient, bob);
        using var mallory = await SignedUpClientAsync(factory.CreateClient, NewUsername("mallory"));
        using var keys = new TestKeys();
        await keys.PublishAsync(bobClient);
        var bobIdentity = new IdentityKeyUpload(Convert.ToBase64String(keys.Identity.PublicKey.Serialize()));
        using (var stolen = await ExpectAsync(mallory.PutAsJsonAsync("/v1/keys/identity", bobIdentity, RestJson.Options), HttpStatusCode.Conflict))
        {
            Assert.Contains("identity-in-use", await stolen.Content.ReadAsStringAsync().WaitAsync(RequestTimeout), StringComparison.Ordinal);
        }
        (await ExpectAsync(bobClient.PutAsJsonAsync("/v1/keys/identity", bobIdentity, RestJson.Options), HttpStatusCode.NoContent)).Dispose();

        using var fresh = new TestKeys();
        var replacement = new IdentityKeyUpload(Convert.ToBase64String(fresh.Identity.PublicKey.Serialize()));
        (await ExpectAsync(bobClient.PutAsJsonAsync("/v1/keys/identity", replacement, RestJson.Options), HttpStatusCode.Conflict)).Dispose();
        (await ExpectAsync(bobClient.PutAsJsonAsync("/v1/keys/identity", replacement with { Replace = true }, RestJson.Options), HttpStatusCode.NoContent)).Dispose();
        var count = await bobClient.GetFromJsonAsync<PreKeyCountResponse>("/v1/keys/count", RestJson.Options).WaitAsync(RequestTimeout);
        // Old signatures are gone with the old identity, and the owner of the old one can tell it was replaced.
        Assert.Equal(new PreKeyCountResponse(0, 0, true, false, false, false, replacement.IdentityKey), count);
    }

    [Fact]
    public async Task One_user_cannot_change_another_users_keys()
    {
        var bob = NewUsername("bob");
        using var bobClient = await SignedUpClientAsync(factory.CreateClient, bob);
        using var mallory = await SignedUpClientAsync(factory.CreateClient, NewUsername("mallory"));
        using var bobKeys = new TestKeys();
        using var malloryKeys = new TestKeys();
        await bobKeys.PublishAsync(bobClient);
        await malloryKeys.PublishAsync(mallory);
        (await ExpectAsync(mallory.PostAsJsonAsync("/v1/keys/one-time-prekeys", new OneTimePreKeysUpload(OneTime(1, 5)), RestJson.Options), HttpStatusCode.OK)).Dispose();
        var bobCount = await bobClient.GetFromJsonAsync<PreKeyCountResponse>("/v1/keys/count", RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(0, bobCount!.OneTimePreKeys);
        await RequestContactAsync(mallory, bob);
        var bundle = await FetchAsync(mallory, bob);
        Assert.Equal(bobKeys.Identity.PublicKey, bundle.IdentityKey);
        Assert.Equal(bobKeys.SignedPreKey, bundle.SignedPreKey.Serialize());
    }

    [Fact]
    public async Task Unknown_or_incomplete_accounts_have_no_bundle()
    {
        using var alice = await SignedUpClientAsync(factory.CreateClient, NewUsername("alice"));
        var bob = NewUsername("bob");
        using var bobClient = await SignedUpClientAsync(factory.CreateClient, bob);
        await RequestContactAsync(alice, bob);
        (await ExpectAsync(alice.GetAsync(new Uri("/v1/keys/" + NewUsername("ghost"), UriKind.Relative)), HttpStatusCode.NotFound)).Dispose();
        (await ExpectAsync(alice.GetAsync(new Uri("/v1/keys/" + bob, UriKind.Relative)), HttpStatusCode.NotFound)).Dispose();
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class KeyScenariosSqlite() : KeyScenarios(DatabaseKind.Sqlite, null);

public sealed class KeyScenariosPostgres(PostgresDatabaseFixture fixture)
    : KeyScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;

/// <summary>Bundle fetches are limited per (requester, target), per requester and per target — each at the limit and one past it.</summary>
public sealed class KeyFetchLimitScenarios
{
    [Theory]
    [InlineData("Keys:FetchesPerPairPerHour")]
    [InlineData("Keys:FetchesPerRequesterPerHour")]
    [InlineData("Keys:FetchesPerTargetPerHour")]
    public async Task Fetches_over_the_limit_get_429_with_retry_after(string setting)
    {
        using var factory = new ParleyServerFactory(DatabaseKind.Sqlite, null, new Dictionary<string, string?> { [setting] = "2" });
        var bob = NewUsername("bob");
        var dave = NewUsername("dave");
        using var bobClient = await SignedUpClientAsync(factory.CreateClient, bob);
        using var daveClient = await SignedUpClientAsync(factory.CreateClient, dave);
        using var keys = new TestKeys();
        using var daveKeys = new TestKeys();
        await keys.PublishAsync(bobClient);
        await daveKeys.PublishAsync(daveClient);
        using var alice = await SignedUpClientAsync(factory.CreateClient, NewUsername("alice"));
        using var carol = await SignedUpClientAsync(factory.CreateClient, NewUsername("carol"));
        foreach (var (from, to) in new[] { (alice, bob), (alice, dave), (carol, bob) })
        {
            await RequestContactAsync(from, to);
        }
        await FetchAsync(alice, bob);
        await FetchAsync(alice, bob);
        using var refused = await alice.GetAsync(new Uri("/v1/keys/" + bob, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Another target is refused only when the limit is the requester's; another requester only when it is the target's.
        using var otherTarget = await alice.GetAsync(new Uri("/v1/keys/" + dave, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.Equal(setting.EndsWith("PerRequesterPerHour", StringComparison.Ordinal) ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK, otherTarget.StatusCode);
        using var otherRequester = await carol.GetAsync(new Uri("/v1/keys/" + bob, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.Equal(setting.EndsWith("PerTargetPerHour", StringComparison.Ordinal) ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK, otherRequester.StatusCode);
    }
}
