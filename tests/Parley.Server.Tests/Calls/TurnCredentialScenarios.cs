using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Calls;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Calls;

/// <summary>
/// <c>GET /v1/calls/turn</c>: coturn's time-limited scheme with a random opaque id (never the
/// account), the configured lifetime, authenticated and rate-limited, a clear problem when calls are
/// off, and a secret that never reaches a log.
/// </summary>
public sealed partial class TurnCredentialScenarios : IDisposable
{
    private const string Secret = "test-turn-secret-0123456789abcdefghijklmnopqrstuv";
    private readonly CapturingLoggerProvider logs = new();
    private readonly ParleyServerFactory factory;

    public TurnCredentialScenarios() =>
        factory = new ParleyServerFactory(DatabaseKind.Sqlite, null, Configured(new Dictionary<string, string?>
        {
            ["Calls:TurnUris:1"] = "turns:turn.example.org:5349?transport=tcp",
            ["Calls:CredentialLifetime"] = "02:00:00",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
        }), services => services.AddSingleton<ILoggerProvider>(logs));

    [Fact]
    public async Task A_credential_follows_the_time_limited_scheme_and_names_no_account()
    {
        var name = NewUsername("alice");
        using var client = await SignedUpClientAsync(factory.CreateClient, name);
        var before = DateTimeOffset.UtcNow;
        using var response = await client.GetAsync(new Uri(CallRoutes.TurnCredentials, UriKind.Relative)).WaitAsync(RequestTimeout);
        var after = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var credentials = (await response.Content.ReadFromJsonAsync<TurnCredentials>(RestJson.Options).WaitAsync(RequestTimeout))!;

        var match = UsernameShape().Match(credentials.Username);
        Assert.True(match.Success, credentials.Username);
        Assert.DoesNotContain(name, credentials.Username, StringComparison.OrdinalIgnoreCase);
        var expiry = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiry, before.AddHours(2).ToUnixTimeSeconds(), after.AddHours(2).ToUnixTimeSeconds());
        Assert.Equal(7200, credentials.TtlSeconds);
        Assert.Equal(expiry * 1000, credentials.ExpiresAtMs);
        Assert.Equal(TurnPasswords.For(Secret, credentials.Username), credentials.Password);
        Assert.Equal(["turn:127.0.0.1:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp"], credentials.Uris);

        var second = (await client.GetFromJsonAsync<TurnCredentials>(CallRoutes.TurnCredentials, RestJson.Options).WaitAsync(RequestTimeout))!;
        Assert.NotEqual(credentials.Username.Split(':')[1], second.Username.Split(':')[1]);
    }

    [Fact]
    public async Task Without_a_token_the_route_answers_401()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri(CallRoutes.TurnCredentials, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_relay_configured_the_route_says_calls_are_not_configured()
    {
        using var bare = new ParleyServerFactory(DatabaseKind.Sqlite, null);
        using var client = await SignedUpClientAsync(bare.CreateClient, NewUsername("bob"));
        using var response = await client.GetAsync(new Uri(CallRoutes.TurnCredentials, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync().WaitAsync(RequestTimeout));
        Assert.Equal(RestJson.ProblemTypePrefix + CallRoutes.NotConfiguredProblem, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("Calls are not configured on this server", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Credentials_at_the_hourly_budget_are_issued_and_one_past_it_gets_429_for_that_account_only()
    {
        const int budget = 3;
        using var limited = new ParleyServerFactory(DatabaseKind.Sqlite, null, Configured(new Dictionary<string, string?>
        {
            ["Calls:CredentialsPerAccountPerHour"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        using var alice = await SignedUpClientAsync(limited.CreateClient, NewUsername("alice"));
        using var carol = await SignedUpClientAsync(limited.CreateClient, NewUsername("carol"));
        for (var i = 0; i < budget; i++)
        {
            using var ok = await alice.GetAsync(new Uri(CallRoutes.TurnCredentials, UriKind.Relative)).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await alice.GetAsync(new Uri(CallRoutes.TurnCredentials, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var other = await carol.GetAsync(new Uri(CallRoutes.TurnCredentials, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var metrics = await MetricsScrape.TextAsync(limited.Services);
        Assert.Contains("parley_turn_credentials_total{outcome=\"issued\"} 4", metrics, StringComparison.Ordinal);
        Assert.Contains("parley_turn_credentials_total{outcome=\"rate_limited\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_and_the_issued_credentials_never_reach_the_logs()
    {
        using var client = await SignedUpClientAsync(factory.CreateClient, NewUsername("dave"));
        var credentials = (await client.GetFromJsonAsync<TurnCredentials>(CallRoutes.TurnCredentials, RestJson.Options).WaitAsync(RequestTimeout))!;
        Assert.NotEmpty(logs.Lines); // the control: logging at Trace is on
        foreach (var line in logs.Lines)
        {
            Assert.DoesNotContain(Secret, line, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.Password, line, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.Username.Split(':')[1], line, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        factory.Dispose();
        logs.Dispose();
    }

    private static Dictionary<string, string?> Configured(Dictionary<string, string?> more)
    {
        more["Calls:TurnUris:0"] = "turn:127.0.0.1:3478?transport=udp";
        more["Calls:TurnSecret"] = Secret;
        return more;
    }

    [GeneratedRegex("^([0-9]{10,}):[A-Za-z0-9_-]{22}$")]
    private static partial Regex UsernameShape();
}
