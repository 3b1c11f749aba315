using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Crypto.Auth;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Scenarios;

/// <summary>Alice registers, logs in, proves her password again, changes it, logs out, deletes her account.</summary>
public abstract class AccountScenarios : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly ParleyServerFactory factory;

    protected AccountScenarios(DatabaseKind kind, string? connectionString) =>
        // Every login start is reserved as an attempt until it is proven (docs/SECURITY.md, "Login throttling"): these
        // scenarios start many logins from one address without finishing them, so the proof-of-work threshold is raised.
        factory = new ParleyServerFactory(kind, connectionString, new Dictionary<string, string?> { ["Accounts:LoginFailuresBeforePow"] = "100" });

    [Fact]
    public async Task Register_then_login_gives_a_token_and_the_server_proves_itself()
    {
        var alice = NewUsername("Alice");
        using var client = await SignedUpClientAsync(factory.CreateClient, alice, Password);
        var info = await client.GetFromJsonAsync<AccountInfoResponse>("/v1/account", RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(alice.ToLowerInvariant(), info!.Username);
        Assert.True(info.SessionExpiresAt > DateTimeOffset.UtcNow.AddDays(29));
    }

    [Fact]
    public async Task Usernames_are_unique_case_insensitively()
    {
        using var client = factory.CreateClient();
        var name = NewUsername("bob");
        using (var first = await RegisterAsync(client, name, Password))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }
        using var second = await RegisterAsync(client, name.ToUpperInvariant(), Password);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_wrong_password_gets_no_token()
    {
        using var client = factory.CreateClient();
        var name = NewUsername("carol");
        (await RegisterAsync(client, name, Password)).Dispose();
        var (response, session) = await LoginRawAsync(client, name, "wrong password");
        using (response)
        using (session)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("token", await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_that_is_a_multiple_of_N_cannot_log_in(int multiple)
    {
        using var client = factory.CreateClient();
        var name = NewUsername("mallory");
        (await RegisterAsync(client, name, Password)).Dispose();
        var (start, session, m1) = await ProveAsync(client, name, Password);
        session.Dispose();
        var a = SrpParameters.N.Multiply(Org.BouncyCastle.Math.BigInteger.ValueOf(multiple));
        var aBytes = multiple == 0 ? new byte[] { 0 } : SrpParameters.ToBytes(a);
        // With A ≡ 0 the shared secret is 0 whatever the password: try the proof that would match it.
        var forgedM1 = Org.BouncyCastle.Crypto.Agreement.Srp.Srp6Utilities.CalculateM1(SrpParameters.CreateDigest(), SrpParameters.N,
            a.Mod(SrpParameters.N), SrpParameters.FromBytes(Convert.FromBase64String(start.B)), Org.BouncyCastle.Math.BigInteger.Zero);
        foreach (var proof in (byte[][])[SrpParameters.ToBytes(forgedM1), m1])
        {
            using var response = await client.PostAsJsonAsync("/v1/auth/login/finish",
                new LoginFinishRequest(start.LoginId, Convert.ToBase64String(aBytes), Convert.ToBase64String(proof)), RestJson.Options).WaitAsync(RequestTimeout);
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, response.StatusCode.ToString());
            Assert.DoesNotContain("token", await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_login_id_is_single_use()
    {
        using var client = factory.CreateClient();
        var name = NewUsername("dave");
        (await RegisterAsync(client, name, Password)).Dispose();
        var (start, session, m1) = await ProveAsync(client, name, Password);
        using (session)
        {
            var finish = new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1));
            using var first = await client.PostAsJsonAsync("/v1/auth/login/finish", finish, RestJson.Options).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            using var replay = await client.PostAsJsonAsync("/v1/auth/login/finish", finish, RestJson.Options).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        }
    }

    [Fact]
    public async Task Unknown_usernames_get_an_answer_shaped_like_a_real_one_and_stable_salts()
    {
        using var client = factory.CreateClient();
        var known = NewUsername("erin");
        (await RegisterAsync(client, known, Password)).Dispose();
        var unknown = NewUsername("nobody");
        var k1 = await StartBodyAsync(client, known);
        var k2 = await StartBodyAsync(client, known);
        var u1 = await StartBodyAsync(client, unknown);
        var u2 = await StartBodyAsync(client, unknown);
        foreach (var (real, fake) in new[] { (k1, u1), (k2, u2) })
        {
            Assert.Equal(Convert.FromBase64String(real.SrpSalt).Length, Convert.FromBase64String(fake.SrpSalt).Length);
            Assert.Equal(Convert.FromBase64String(real.ArgonSalt).Length, Convert.FromBase64String(fake.ArgonSalt).Length);
            Assert.Equal(real.Argon2, fake.Argon2);
            Assert.Equal(real.LoginId.Length, fake.LoginId.Length);
            Assert.InRange(Convert.FromBase64String(fake.B).Length, SrpParameters.ElementLength - 4, SrpParameters.ElementLength);
        }
        Assert.Equal(k1.SrpSalt, k2.SrpSalt);
        Assert.Equal(u1.SrpSalt, u2.SrpSalt);
        Assert.Equal(u1.ArgonSalt, u2.ArgonSalt);
        Assert.NotEqual(k1.B, k2.B);
        Assert.NotEqual(u1.B, u2.B); // fresh per call, exactly as for a real account
        Assert.NotEqual(u1.SrpSalt, (await StartBodyAsync(client, NewUsername("other"))).SrpSalt);
    }

    [Fact]
    public async Task Logout_revokes_the_token_everywhere()
    {
        using var client = await SignedUpClientAsync(factory.CreateClient, NewUsername("frank"), Password);
        using (var logout = await client.PostAsync(new Uri("/v1/auth/logout", UriKind.Relative), null).WaitAsync(RequestTimeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        await AuthenticatedEndpoints.AssertAllRefuseAsync(client);
    }

    [Fact]
    public async Task Password_change_needs_the_old_password_and_revokes_every_session()
    {
        var name = NewUsername("grace");
        using var client = await SignedUpClientAsync(factory.CreateClient, name, Password);
        using var second = factory.CreateClient();
        second.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LoginAsync(second, name, Password));

        var wrong = await PasswordChangeAsync(client, name, "not the password", "new password 123");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var changed = await PasswordChangeAsync(client, name, Password, "new password 123");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var body = (await changed.Content.ReadFromJsonAsync<LoginFinishResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;

        await AuthenticatedEndpoints.AssertAllRefuseAsync(client);
        await AuthenticatedEndpoints.AssertAllRefuseAsync(second);
        using var fresh = factory.CreateClient();
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.Token);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync(new Uri("/v1/account", UriKind.Relative)).WaitAsync(RequestTimeout)).StatusCode);
        var (old, oldSession) = await LoginRawAsync(factory.CreateClient(), name, Password);
        oldSession.Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.False(string.IsNullOrEmpty(await LoginAsync(factory.CreateClient(), name, "new password 123")));
    }

    [Fact]
    public async Task Deletion_needs_a_fresh_proof_and_removes_the_account()
    {
        var name = NewUsername("heidi");
        using var client = await SignedUpClientAsync(factory.CreateClient, name, Password);
        var (start, session, m1) = await ProveAsync(client, name, Password);
        using (session)
        {
            using var deleted = await client.PostAsJsonAsync("/v1/account/delete",
                new AccountDeleteRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1)),
                RestJson.Options).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            var body = (await deleted.Content.ReadFromJsonAsync<AccountDeleteResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
            Assert.True(session.VerifyServerProof(Convert.FromBase64String(body.M2)));
        }
        await AuthenticatedEndpoints.AssertAllRefuseAsync(client);
        var (login, loginSession) = await LoginRawAsync(factory.CreateClient(), name, Password);
        loginSession.Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        using var again = await RegisterAsync(factory.CreateClient(), name, Password);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode); // the name is free again
    }

    [Fact]
    public async Task One_user_cannot_use_a_proof_for_another_account()
    {
        var alice = NewUsername("alice");
        var bob = NewUsername("bob");
        using var aliceClient = await SignedUpClientAsync(factory.CreateClient, alice, Password);
        using var bobClient = await SignedUpClientAsync(factory.CreateClient, bob, Password);
        var (start, session, m1) = await ProveAsync(bobClient, bob, Password);
        session.Dispose();
        using var response = await aliceClient.PostAsJsonAsync("/v1/account/delete",
            new AccountDeleteRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1)),
            RestJson.Options).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bobClient.GetAsync(new Uri("/v1/account", UriKind.Relative)).WaitAsync(RequestTimeout)).StatusCode);
    }

    private static async Task<HttpResponseMessage> PasswordChangeAsync(HttpClient client, string name, string oldPassword, string newPassword)
    {
        var (start, session, m1) = await ProveAsync(client, name, oldPassword);
        using (session)
        {
            var fresh = SrpRegistration.Create(name.ToLowerInvariant(), newPassword, TestArgon2);
            return await client.PostAsJsonAsync("/v1/account/password", new PasswordChangeRequest(
                start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1),
                Convert.ToBase64String(fresh.SrpSalt), Convert.ToBase64String(fresh.Verifier), Convert.ToBase64String(fresh.ArgonSalt),
                ToDto(fresh.Argon2)), RestJson.Options).WaitAsync(RequestTimeout);
        }
    }

    private static async Task<LoginStartResponse> StartBodyAsync(HttpClient client, string username)
    {
        using var response = await StartAsync(client, username);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class AccountScenariosSqlite() : AccountScenarios(DatabaseKind.Sqlite, null);

public sealed class AccountScenariosPostgres(PostgresDatabaseFixture fixture)
    : AccountScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
