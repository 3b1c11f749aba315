using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Crypto.Auth;
using Parley.Server.Accounts;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// Issue 14, item 3, for the login endpoints (which take a username without a session): an unknown
/// name gets the answer an existing account gets, and — the deterministic half of "in time" — the
/// server makes the same account-store calls for both. A failed finish for an unknown name used to
/// skip the account lookup that a known name's finish makes. The endpoints that take another user's
/// name (ExistenceOracleTests' table) are checked the same way.
/// </summary>
public abstract class LoginExistenceOracleTests : IDisposable
{
    private readonly ConcurrentQueue<string> storeCalls = new();
    private readonly ParleyServerFactory factory;

    protected LoginExistenceOracleTests(DatabaseKind kind, string? connectionString) =>
        factory = new ParleyServerFactory(kind, connectionString, new Dictionary<string, string?> { ["Accounts:LoginFailuresBeforePow"] = "100" },
            services =>
            {
                services.RemoveAll<IAccountStore>();
                services.AddSingleton(provider => CallRecorder.Wrap<IAccountStore>(ActivatorUtilities.CreateInstance<SqlAccountStore>(provider), storeCalls));
            });

    [Fact]
    public async Task Login_start_for_an_unknown_name_makes_the_same_store_calls_as_for_an_existing_account()
    {
        using var client = factory.CreateClient();
        var (known, unknown) = await NamesAsync(client);

        var (knownStatus, knownCalls) = await RecordAsync(() => StartStatusAsync(client, known));
        var (unknownStatus, unknownCalls) = await RecordAsync(() => StartStatusAsync(client, unknown));

        Assert.Equal(HttpStatusCode.OK, knownStatus);
        Assert.Equal(knownStatus, unknownStatus);
        Assert.Equal(["FindByUsernameAsync"], knownCalls);
        Assert.Equal(knownCalls, unknownCalls);
    }

    [Fact]
    public async Task A_failed_login_finish_for_an_unknown_name_is_answered_and_looked_up_like_an_existing_account()
    {
        using var client = factory.CreateClient();
        var (known, unknown) = await NamesAsync(client);
        var answers = new List<(HttpStatusCode Status, string Body, string[] Calls)>();
        foreach (var name in new[] { known, unknown })
        {
            var (start, session, _) = await ProveAsync(client, name, "not the password");
            using (session)
            {
                var wrong = new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(RandomNumberGenerator.GetBytes(SrpParameters.ProofLength)));
                var ((status, body), calls) = await RecordAsync(async () =>
                {
                    using var response = await client.PostAsJsonAsync("/v1/auth/login/finish", wrong, RestJson.Options).WaitAsync(RequestTimeout);
                    return (response.StatusCode, await BodyAsync(response));
                });
                answers.Add((status, body, calls));
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, answers[0].Status);
        Assert.Equal(answers[0].Status, answers[1].Status);
        Assert.Equal(answers[0].Body, answers[1].Body);
        Assert.Equal(["FindByIdAsync"], answers[0].Calls);
        Assert.Equal(answers[0].Calls, answers[1].Calls);
    }

    [Fact]
    public async Task A_login_challenge_for_an_unknown_name_is_answered_and_looked_up_like_an_existing_account()
    {
        using var client = factory.CreateClient();
        var (known, unknown) = await NamesAsync(client);
        var answers = new List<(HttpStatusCode Status, int Difficulty, string[] Calls)>();
        foreach (var name in new[] { known, unknown })
        {
            var (answer, calls) = await RecordAsync(async () =>
            {
                using var response = await client.PostAsJsonAsync("/v1/auth/challenge", new PowChallengeRequest(name, null), RestJson.Options).WaitAsync(RequestTimeout);
                var challenge = await response.Content.ReadFromJsonAsync<PowChallengeResponse>(RestJson.Options).WaitAsync(RequestTimeout);
                return (response.StatusCode, challenge!.Difficulty);
            });
            answers.Add((answer.StatusCode, answer.Difficulty, calls));
        }

        Assert.Equal(HttpStatusCode.OK, answers[0].Status);
        Assert.Equal(answers[0].Status, answers[1].Status);
        Assert.Equal(answers[0].Difficulty, answers[1].Difficulty);
        Assert.Equal(["FindByUsernameAsync"], answers[0].Calls);
        Assert.Equal(answers[0].Calls, answers[1].Calls);
    }

    /// <summary>
    /// The endpoints that take another user's name look it up by id only — one query that answers one
    /// integer for known and unknown names alike. They used to read the whole account (credentials
    /// included) for a known name and nothing for an unknown one, which the timing runner saw in the
    /// bundle fetch (docs/SECURITY.md, "Timing").
    /// </summary>
    [Theory]
    [MemberData(nameof(ExistenceOracleTests.Endpoints), MemberType = typeof(ExistenceOracleTests))]
    public async Task Endpoints_that_take_a_username_make_the_same_store_calls_for_unknown_and_existing_names(string method, string route)
    {
        using var me = await SignedUpClientAsync(factory.CreateClient, NewUsername("asker"));
        var (stranger, unknown) = await NamesAsync(me);
        var answers = new List<(HttpStatusCode Status, string[] Calls)>();
        foreach (var name in new[] { stranger, unknown })
        {
            answers.Add(await RecordAsync(async () =>
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, name), UriKind.Relative));
                using var response = await me.SendAsync(request).WaitAsync(RequestTimeout);
                return response.StatusCode;
            }));
        }

        Assert.Equal(answers[0].Status, answers[1].Status);
        Assert.Equal(["FindIdByUsernameAsync"], answers[0].Calls);
        Assert.Equal(answers[0].Calls, answers[1].Calls);
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<(string Known, string Unknown)> NamesAsync(HttpClient client)
    {
        var known = NewUsername("erin");
        using (var registered = await RegisterAsync(client, known, "correct horse battery staple"))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }
        return (known, NewUsername("nobody"));
    }

    private static async Task<HttpStatusCode> StartStatusAsync(HttpClient client, string name)
    {
        using var response = await StartAsync(client, name);
        return response.StatusCode;
    }

    /// <summary>Runs one request and returns what it answered with the account-store calls it made.</summary>
    private async Task<(TResult Result, string[] Calls)> RecordAsync<TResult>(Func<Task<TResult>> request)
    {
        storeCalls.Clear();
        var result = await request();
        return (result, storeCalls.ToArray());
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout);
        if (body.Length > 0 && JsonNode.Parse(body) is JsonObject json)
        {
            json.Remove("traceId");
            body = json.ToJsonString();
        }
        return body;
    }
}

public sealed class LoginExistenceOracleTestsSqlite() : LoginExistenceOracleTests(DatabaseKind.Sqlite, null);

public sealed class LoginExistenceOracleTestsPostgres(PostgresDatabaseFixture fixture)
    : LoginExistenceOracleTests(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
