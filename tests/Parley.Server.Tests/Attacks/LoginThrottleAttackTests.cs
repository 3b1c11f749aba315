using System.Net;
using System.Net.Http.Json;
using Parley.Crypto.Auth;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// Issue 14, items 1 and 2: login throttling that cannot be raced (attempts are reserved at start,
/// open attempts are capped) and that strangers cannot turn into a lockout of the owner (budgets per
/// (account, address), device cookies past the account-wide budget, proof of work that grows).
/// </summary>
public abstract class LoginThrottleAttackTests
{
    private const string Password = "correct horse battery staple";
    private readonly DatabaseKind kind;
    private readonly string? connectionString;

    protected LoginThrottleAttackTests(DatabaseKind kind, string? connectionString)
    {
        this.kind = kind;
        this.connectionString = connectionString;
    }

    [Fact]
    public async Task Concurrent_starts_then_finishes_never_exceed_the_limit_and_the_right_password_is_then_refused()
    {
        using var factory = Factory(new() { ["Accounts:LoginFailuresBeforeLockout"] = "5" });
        var name = await RegisterAsync(factory);
        using var attacker = TestClientAddress.From(factory, "198.51.100.7");

        var opened = await StartManyAsync(Enumerable.Range(0, 30).Select(_ => attacker), name);
        Assert.InRange(opened.Count, 1, 5);
        await FailAllAsync(attacker, opened);
        var more = await StartManyAsync(Enumerable.Range(0, 10).Select(_ => attacker), name);
        Assert.Empty(more);

        using var right = await StartAsync(attacker, name);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task Starts_from_many_addresses_never_exceed_the_account_limit()
    {
        using var factory = Factory(new() { ["Accounts:LoginAccountFailuresBeforeLockout"] = "8" });
        var name = await RegisterAsync(factory);
        var clients = Enumerable.Range(1, 40).Select(i => TestClientAddress.From(factory, "203.0.113." + i)).ToList();
        try
        {
            var opened = await StartManyAsync(clients, name);
            Assert.InRange(opened.Count, 1, 8);
            await FailAllAsync(clients[0], opened);
            Assert.Empty(await StartManyAsync(clients, name));
            using var owner = TestClientAddress.From(factory, "192.0.2.50");
            using var refused = await StartAsync(owner, name);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Open_logins_are_capped_per_account_and_per_address_at_the_limit()
    {
        using var factory = Factory(new() { ["Accounts:MaxOpenLoginsPerAccount"] = "3", ["Accounts:MaxOpenLoginsPerAddress"] = "2" });
        var name = await RegisterAsync(factory);
        var clients = Enumerable.Range(1, 5).Select(i => TestClientAddress.From(factory, "203.0.113." + i)).ToList();
        try
        {
            var open = new List<LoginStartResponse>();
            for (var i = 0; i < 3; i++)
            {
                open.Add(await ExpectStartAsync(clients[i], name));
            }
            using (var fourth = await StartAsync(clients[3], name))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
            }
            await FailAllAsync(clients[0], open.Take(1).ToList());
            await ExpectStartAsync(clients[3], name);

            using var one = TestClientAddress.From(factory, "198.51.100.99");
            await ExpectStartAsync(one, NewUsername("nobody"));
            await ExpectStartAsync(one, NewUsername("nobody"));
            using var third = await StartAsync(one, NewUsername("nobody"));
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Strangers_exhausting_the_account_budget_do_not_lock_out_the_owner_holding_a_device_cookie()
    {
        using var factory = Factory(new() { ["Accounts:LoginAccountFailuresBeforeLockout"] = "6", ["Accounts:LoginFailuresBeforeLockout"] = "3" });
        var name = await RegisterAsync(factory);
        using var home = TestClientAddress.From(factory, "192.0.2.10");
        var cookie = (await LoginWithCookieAsync(home, name, Password, null)).DeviceCookie;
        Assert.False(string.IsNullOrEmpty(cookie));

        // One stranger spends its (account, address) budget: the owner elsewhere is not affected.
        using var stranger = TestClientAddress.From(factory, "198.51.100.1");
        await FailAllAsync(stranger, await StartManyAsync(Enumerable.Range(0, 5).Select(_ => stranger), name));
        using (var blocked = await StartAsync(stranger, name))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        }
        using var cafe = TestClientAddress.From(factory, "192.0.2.20");
        Assert.NotNull((await LoginWithCookieAsync(cafe, name, Password, null)).Token);

        // Strangers from many addresses spend the account-wide budget: untrusted clients are refused...
        var crowd = Enumerable.Range(2, 10).Select(i => TestClientAddress.From(factory, "198.51.100." + i)).ToList();
        await FailAllAsync(stranger, await StartManyAsync(crowd, name));
        crowd.ForEach(c => c.Dispose());
        using var library = TestClientAddress.From(factory, "192.0.2.30");
        using (var refused = await StartAsync(library, name))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }
        var forged = Convert.FromBase64String(cookie!.Replace('-', '+').Replace('_', '/') + "=");
        forged[^1] ^= 1;
        using (var withForged = await StartWithCookieAsync(library, name, Convert.ToBase64String(forged).TrimEnd('=').Replace('+', '-').Replace('/', '_')))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, withForged.StatusCode);
        }

        // ...but the owner's device cookie gets through, from anywhere, and a new cookie comes back.
        var again = await LoginWithCookieAsync(library, name, Password, cookie);
        Assert.NotNull(again.Token);
        Assert.NotEqual(cookie, again.DeviceCookie);
    }

    [Fact]
    public async Task A_device_cookie_is_bound_to_its_account_and_has_its_own_budget()
    {
        using var factory = Factory(new() { ["Accounts:LoginFailuresBeforeLockout"] = "2", ["Accounts:LoginAccountFailuresBeforeLockout"] = "2" });
        var alice = await RegisterAsync(factory);
        var bob = await RegisterAsync(factory);
        using var client = TestClientAddress.From(factory, "192.0.2.10");
        var aliceCookie = (await LoginWithCookieAsync(client, alice, Password, null)).DeviceCookie;

        // Alice's cookie does not make Bob's login trusted: Bob's account budget applies.
        using var elsewhere = TestClientAddress.From(factory, "192.0.2.11");
        for (var i = 0; i < 2; i++)
        {
            using var start = await StartWithCookieAsync(elsewhere, bob, aliceCookie);
            await FailAllAsync(elsewhere, [await ReadStartAsync(start)]);
        }
        using (var refused = await StartWithCookieAsync(elsewhere, bob, aliceCookie))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // A thief with Alice's cookie gets the cookie's own budget (2), then it is refused too.
        for (var i = 0; i < 2; i++)
        {
            using var start = await StartWithCookieAsync(elsewhere, alice, aliceCookie);
            await FailAllAsync(elsewhere, [await ReadStartAsync(start)]);
        }
        using var spent = await StartWithCookieAsync(elsewhere, alice, aliceCookie);
        Assert.Equal(HttpStatusCode.TooManyRequests, spent.StatusCode);
    }

    [Fact]
    public async Task Proof_of_work_grows_one_bit_per_failure_up_to_the_cap()
    {
        using var factory = Factory(new()
        {
            ["Accounts:LoginFailuresBeforePow"] = "1",
            ["Accounts:LoginPowBitsPerFailure"] = "1",
            ["Accounts:LoginPowMaxExtraBits"] = "2",
        });
        var name = await RegisterAsync(factory);
        using var client = TestClientAddress.From(factory, "198.51.100.3");
        await FailAllAsync(client, [await ExpectStartAsync(client, name)]);
        var difficulties = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var challenge = await ChallengeAsync(client, name);
            difficulties.Add(challenge.Difficulty);
            if (i == 1)
            {
                // A solution below the required difficulty is refused.
                using var easy = await StartAsync(client, name, await SolvePowAsync(client));
                Assert.Equal(HttpStatusCode.Forbidden, easy.StatusCode);
            }
            var pow = new PowSolution(challenge.Challenge, (long)ProofOfWork.Solve(Convert.FromBase64String(challenge.Challenge), challenge.Difficulty));
            using var start = await StartAsync(client, name, pow);
            await FailAllAsync(client, [await ReadStartAsync(start)]);
        }
        var d = TestSettings.PowDifficulty;
        Assert.Equal([d, d + 1, d + 2, d + 2], difficulties);
    }

    private ParleyServerFactory Factory(Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Accounts:LoginFailuresBeforePow"] = "1000",
            ["Accounts:LoginFailuresBeforeLockout"] = "1000",
            ["Accounts:LoginAccountFailuresBeforeLockout"] = "1000",
            ["Accounts:LoginAddressFailuresBeforeLockout"] = "1000",
            ["Accounts:MaxOpenLoginsPerAccount"] = "1000",
            ["Accounts:MaxOpenLoginsPerAddress"] = "1000",
            ["Accounts:AuthRequestsPerAddressPerMinute"] = "100000",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return new ParleyServerFactory(kind, connectionString, settings, TestClientAddress.Register);
    }

    private static async Task<string> RegisterAsync(ParleyServerFactory factory)
    {
        var name = NewUsername("victim");
        using var client = factory.CreateClient();
        (await TestKeys.ExpectAsync(AuthFlows.RegisterAsync(client, name, Password), HttpStatusCode.Created)).Dispose();
        return name;
    }

    private static async Task<List<LoginStartResponse>> StartManyAsync(IEnumerable<HttpClient> clients, string name)
    {
        var responses = await Task.WhenAll(clients.Select(c => Task.Run(() => StartAsync(c, name)))).WaitAsync(TimeSpan.FromSeconds(120));
        var opened = new List<LoginStartResponse>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    opened.Add(await ReadStartAsync(response));
                }
            }
        }
        return opened;
    }

    private static async Task FailAllAsync(HttpClient client, IReadOnlyList<LoginStartResponse> opened)
    {
        foreach (var start in opened)
        {
            using var finish = await client.PostAsJsonAsync("/v1/auth/login/finish", new LoginFinishRequest(start.LoginId, "Ag==", "AQ=="), RestJson.Options)
                .WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.Unauthorized, finish.StatusCode);
        }
    }

    private static async Task<LoginStartResponse> ExpectStartAsync(HttpClient client, string name)
    {
        using var response = await StartAsync(client, name);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadStartAsync(response);
    }

    private static async Task<LoginStartResponse> ReadStartAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
    }

    private static Task<HttpResponseMessage> StartWithCookieAsync(HttpClient client, string name, string? cookie) =>
        client.PostAsJsonAsync("/v1/auth/login/start", new LoginStartRequest(name, null, cookie), RestJson.Options).WaitAsync(RequestTimeout);

    private static async Task<PowChallengeResponse> ChallengeAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/v1/auth/challenge", new PowChallengeRequest(name, null), RestJson.Options).WaitAsync(RequestTimeout);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PowChallengeResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
    }

    private static async Task<LoginFinishResponse> LoginWithCookieAsync(HttpClient client, string name, string password, string? cookie)
    {
        using var started = await StartWithCookieAsync(client, name, cookie);
        var start = await ReadStartAsync(started);
        var argon = new Argon2Parameters(start.Argon2.MemoryKiB, start.Argon2.Iterations, start.Argon2.Parallelism);
        using var stretched = StretchedPassword.Derive(password, Convert.FromBase64String(start.ArgonSalt), argon);
        using var session = new SrpClientSession(name, stretched, Convert.FromBase64String(start.SrpSalt));
        var m1 = session.ComputeProof(Convert.FromBase64String(start.B));
        using var finished = await client.PostAsJsonAsync("/v1/auth/login/finish",
            new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1)), RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        return (await finished.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
    }
}

public sealed class LoginThrottleAttackTestsSqlite() : LoginThrottleAttackTests(DatabaseKind.Sqlite, null);

public sealed class LoginThrottleAttackTestsPostgres(PostgresDatabaseFixture fixture)
    : LoginThrottleAttackTests(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
