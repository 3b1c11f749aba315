using System.Net;
using System.Net.Http.Json;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// attacks.md row 13 (P0), SRP misuse: the server must check M1 before it sends M2, and an old
/// (A, M1) must not log in on a new challenge. Over raw HTTP: a wrong M1 gets 401 with no M2 in the
/// body; the (A, M1) of a successful login replayed on a fresh login id (new b, new B) gets 401 and
/// no token. (Unknown-user shape and online-guessing throttling: AccountScenarios and PolicyScenarios.)
/// </summary>
public sealed class SrpHandshakeMisuseTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly ParleyServerFactory factory = new(DatabaseKind.Sqlite, null);

    [Fact]
    public async Task A_wrong_proof_gets_no_server_proof()
    {
        using var client = factory.CreateClient();
        var name = NewUsername("frank");
        (await RegisterAsync(client, name, Password)).Dispose();
        var (start, session, m1) = await ProveAsync(client, name, Password);
        using (session)
        {
            m1[0] ^= 1;
            var finish = new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1));
            using var response = await client.PostAsJsonAsync("/v1/auth/login/finish", finish, RestJson.Options).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout);
            Assert.DoesNotContain("m2", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_old_A_and_M1_do_not_log_in_on_a_new_challenge()
    {
        using var client = factory.CreateClient();
        var name = NewUsername("grace");
        (await RegisterAsync(client, name, Password)).Dispose();
        var (first, session, m1) = await ProveAsync(client, name, Password);
        using (session)
        {
            var recorded = new LoginFinishRequest(first.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1));
            using (var ok = await client.PostAsJsonAsync("/v1/auth/login/finish", recorded, RestJson.Options).WaitAsync(RequestTimeout))
            {
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            using var fresh = await StartAsync(client, name);
            var challenge = (await fresh.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
            Assert.NotEqual(first.B, challenge.B);
            var replay = recorded with { LoginId = challenge.LoginId };
            using var response = await client.PostAsJsonAsync("/v1/auth/login/finish", replay, RestJson.Options).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("token", await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout), StringComparison.OrdinalIgnoreCase);
        }
    }

    public void Dispose() => factory.Dispose();
}
