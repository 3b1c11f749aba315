using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Scenarios;

/// <summary>Registration policies, proof of work, throttling, expiry and metrics.</summary>
public abstract class PolicyScenarios
{
    private const string Password = "correct horse battery staple";
    private readonly DatabaseKind kind;
    private readonly string? connectionString;

    protected PolicyScenarios(DatabaseKind kind, string? connectionString)
    {
        this.kind = kind;
        this.connectionString = connectionString;
    }

    [Fact]
    public async Task Registration_needs_a_fresh_valid_proof_of_work()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var request = await RegistrationAsync(client, NewUsername("ivan"), Password);
        await ExpectProblemAsync(client.PostAsJsonAsync("/v1/accounts", request with { Pow = null }, RestJson.Options), 428, "pow-required");
        var wrongCounter = request.Pow! with { Counter = request.Pow.Counter + 1 };
        if (!Parley.Crypto.Auth.ProofOfWork.Verify(Convert.FromBase64String(wrongCounter.Challenge), TestSettings.PowDifficulty, (ulong)wrongCounter.Counter))
        {
            await ExpectProblemAsync(client.PostAsJsonAsync("/v1/accounts", request with { Pow = wrongCounter }, RestJson.Options), 403, "pow-invalid");
        }
        var tampered = Convert.FromBase64String(request.Pow.Challenge);
        tampered[16] = 0; // claim difficulty 0: the MAC no longer matches
        await ExpectProblemAsync(client.PostAsJsonAsync("/v1/accounts",
            request with { Pow = request.Pow with { Challenge = Convert.ToBase64String(tampered) } }, RestJson.Options), 403, "pow-invalid");
        (await TestKeys.ExpectAsync(client.PostAsJsonAsync("/v1/accounts", request, RestJson.Options), HttpStatusCode.Created)).Dispose();
        var reuse = await RegistrationAsync(client, NewUsername("ivan"), Password);
        await ExpectProblemAsync(client.PostAsJsonAsync("/v1/accounts", reuse with { Pow = request.Pow }, RestJson.Options), 403, "pow-invalid");
    }

    [Fact]
    public async Task Weak_argon2_parameters_are_refused()
    {
        using var factory = Factory(new() { ["Accounts:MinArgon2MemoryKiB"] = "2048" });
        using var client = factory.CreateClient();
        await ExpectProblemAsync(RegisterAsync(client, NewUsername("judy"), Password), 400, "argon2-too-weak");
    }

    [Fact]
    public async Task Repeated_failures_require_proof_of_work_then_lock_out_with_retry_after()
    {
        using var factory = Factory(new() { ["Accounts:LoginFailuresBeforePow"] = "2", ["Accounts:LoginFailuresBeforeLockout"] = "3" });
        using var client = factory.CreateClient();
        var name = NewUsername("ken");
        (await RegisterAsync(client, name, Password)).Dispose();
        for (var i = 0; i < 2; i++)
        {
            var (response, session) = await LoginRawAsync(client, name, "wrong");
            session.Dispose();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        await ExpectProblemAsync(StartAsync(client, name), 428, "pow-required");
        using (var withPow = await StartAsync(client, name, await SolvePowAsync(client)))
        {
            Assert.Equal(HttpStatusCode.OK, withPow.StatusCode);
            var start = (await withPow.Content.ReadFromJsonAsync<LoginStartResponse>(RestJson.Options).WaitAsync(RequestTimeout))!;
            (await client.PostAsJsonAsync("/v1/auth/login/finish", new LoginFinishRequest(start.LoginId, "Ag==", "AQ=="), RestJson.Options)
                .WaitAsync(RequestTimeout)).Dispose(); // third failure
        }
        using var locked = await StartAsync(client, name, await SolvePowAsync(client));
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Invite_policy_admits_only_holders_of_an_unused_code()
    {
        using var factory = Factory(new() { ["Accounts:RegistrationPolicy"] = "Invite" });
        using var client = factory.CreateClient();
        await ExpectProblemAsync(RegisterAsync(client, NewUsername("leo"), Password), 403, "invite-required");
        await ExpectProblemAsync(RegisterAsync(client, NewUsername("leo"), Password, "not-a-code"), 403, "invite-invalid");
        var (exit, output) = await ServerProcess.RunCommandAsync(["invites", "create", "--count", "1", .. factory.AdminArguments]);
        Assert.True(exit == 0, output);
        var code = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        (await TestKeys.ExpectAsync(RegisterAsync(client, NewUsername("leo"), Password, code), HttpStatusCode.Created)).Dispose();
        await ExpectProblemAsync(RegisterAsync(client, NewUsername("leo"), Password, code), 403, "invite-invalid");
    }

    [Fact]
    public async Task Closed_policy_refuses_registration_and_the_admin_adds_users()
    {
        using var factory = Factory(new() { ["Accounts:RegistrationPolicy"] = "Closed" });
        using var client = factory.CreateClient();
        await ExpectProblemAsync(RegisterAsync(client, NewUsername("mia"), Password), 403, "registration-closed");
        var name = NewUsername("Mia");
        var (exit, output) = await ServerProcess.RunCommandWithInputAsync(Password, ["users", "add", name, "--password-stdin", .. factory.AdminArguments]);
        Assert.True(exit == 0, output);
        Assert.False(string.IsNullOrEmpty(await LoginAsync(client, name, Password)));
        var (again, _) = await ServerProcess.RunCommandWithInputAsync(Password, ["users", "add", name, "--password-stdin", .. factory.AdminArguments]);
        Assert.NotEqual(0, again);
    }

    [Fact]
    public async Task Sessions_and_login_ids_expire()
    {
        var clock = new ManualTimeProvider();
        using var factory = Factory(services: s => s.AddSingleton<TimeProvider>(clock));
        var name = NewUsername("nina");
        using var client = await SignedUpClientAsync(factory.CreateClient, name, Password);
        var (start, session, m1) = await ProveAsync(client, name, Password);
        session.Dispose();
        clock.Advance(TimeSpan.FromSeconds(61));
        await ExpectProblemAsync(client.PostAsJsonAsync("/v1/auth/login/finish",
            new LoginFinishRequest(start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1)), RestJson.Options), 401, "login-failed");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/v1/account", UriKind.Relative)).WaitAsync(RequestTimeout)).StatusCode);
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/v1/account", UriKind.Relative)).WaitAsync(RequestTimeout)).StatusCode);
    }

    [Fact]
    public async Task Metrics_count_requests_logins_and_registrations_without_user_labels()
    {
        using var factory = Factory();
        var name = NewUsername("olga");
        using var client = await SignedUpClientAsync(factory.CreateClient, name, Password);
        var (response, session) = await LoginRawAsync(client, name, "wrong");
        session.Dispose();
        response.Dispose();
        var text = await MetricsScrape.TextAsync(factory.Services);
        Assert.Contains("parley_registrations_total 1", text, StringComparison.Ordinal);
        Assert.Contains("parley_logins_succeeded_total 1", text, StringComparison.Ordinal);
        Assert.Contains("parley_logins_failed_total 1", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_received_total{code=\"201\",method=\"POST\",controller=\"\",action=\"\",endpoint=\"/v1/accounts\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_bucket{code=\"201\",method=\"POST\",controller=\"\",action=\"\",endpoint=\"/v1/accounts\",le=", text, StringComparison.Ordinal);
        Assert.Contains("parley_prekey_fetches_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain(name, text, StringComparison.OrdinalIgnoreCase);
    }

    private ParleyServerFactory Factory(Dictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null) =>
        new(kind, connectionString, overrides, services);

    private static async Task ExpectProblemAsync(Task<HttpResponseMessage> call, int status, string type)
    {
        using var response = await call.WaitAsync(RequestTimeout);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Contains(RestJson.ProblemTypePrefix + type, body, StringComparison.Ordinal);
    }
}

public sealed class PolicyScenariosSqlite() : PolicyScenarios(DatabaseKind.Sqlite, null);

public sealed class PolicyScenariosPostgres(PostgresDatabaseFixture fixture)
    : PolicyScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
