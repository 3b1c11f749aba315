using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Scenarios;

/// <summary>
/// A table of hostile requests against every endpoint that takes a body: malformed JSON, wrong
/// types, missing fields, bad base64, absurd numbers, wrong content type, oversized bodies. Every
/// one gets a 4xx problem document — never a 500 — and the server keeps serving afterwards.
/// </summary>
public abstract class BadInputScenarios : IDisposable
{
    private readonly ParleyServerFactory factory;

    protected BadInputScenarios(DatabaseKind kind, string? connectionString) =>
        factory = new ParleyServerFactory(kind, connectionString, new Dictionary<string, string?>
        {
            ["Accounts:AuthRequestsPerAddressPerMinute"] = "10000",
        });

    /// <summary>Endpoints with a JSON body: method, path, needs a token.</summary>
    public static TheoryData<string, string, bool> BodyEndpoints { get; } = new()
    {
        { "POST", "/v1/accounts", false },
        { "POST", "/v1/auth/login/start", false },
        { "POST", "/v1/auth/login/finish", false },
        { "POST", "/v1/account/password", true },
        { "POST", "/v1/account/delete", true },
        { "PUT", "/v1/keys/identity", true },
        { "PUT", "/v1/keys/signed-prekey", true },
        { "PUT", "/v1/keys/kem-last-resort", true },
        { "PUT", "/v1/keys/cipher-suites", true },
        { "POST", "/v1/keys/one-time-prekeys", true },
        { "POST", "/v1/keys/kem-prekeys", true },
    };

    private static readonly string[] BadBodies =
    [
        "",
        "{",
        "null",
        "[]",
        "\"text\"",
        "{}",
        "{\"username\":1,\"srpSalt\":1,\"verifier\":[],\"argonSalt\":{},\"loginId\":{},\"a\":true,\"m1\":1,\"identityKey\":1," +
            "\"signedPreKey\":1,\"preKeys\":\"x\",\"kemPreKey\":1,\"suites\":1,\"argon2\":\"x\",\"pow\":1}",
        "{\"username\":\"!!\",\"srpSalt\":\"!!!\",\"verifier\":\"!!!\",\"argonSalt\":\"!!!\",\"argon2\":{\"memoryKiB\":1e30,\"iterations\":-1,\"parallelism\":9}," +
            "\"pow\":{\"challenge\":\"AAAA\",\"counter\":-5},\"loginId\":\"short\",\"a\":\"AA==\",\"m1\":\"AA==\",\"identityKey\":\"AAAA\"," +
            "\"signedPreKey\":\"AAAA\",\"preKeys\":[\"AAAA\",null,5],\"kemPreKey\":\"AAAA\",\"suites\":\"AAAA\"}",
        "{\"username\":\"" + new string('a', 5000) + "\",\"loginId\":\"" + new string('A', 5000) + "\",\"preKeys\":[" +
            string.Join(',', Enumerable.Repeat("\"AAAA\"", 500)) + "]}",
        "{\"username\":\"!\",\"loginId\":\"" + new string('!', 43) + "\",\"a\":\"AA==\",\"m1\":\"AA==\"}",
        "{\"username\":\"alice\"" + new string(' ', 10) + ",\"username\":{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}",
    ];

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task Hostile_bodies_get_4xx_problems_and_never_500(string method, string path, bool authenticated)
    {
        using var client = authenticated ? await SignedUpClientAsync(factory.CreateClient, NewUsername("fuzz")) : factory.CreateClient();
        foreach (var body in BadBodies)
        {
            await AssertProblemAsync(client, method, path, new StringContent(body, Encoding.UTF8, "application/json"), body);
        }
        await AssertProblemAsync(client, method, path, new StringContent("{}", Encoding.UTF8, "text/plain"), "text/plain");
        var huge = new ByteArrayContent(new byte[1024 * 1024]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await AssertProblemAsync(client, method, path, huge, "1 MiB", HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)).WaitAsync(RequestTimeout));
    }

    [Theory]
    [InlineData("/v1/keys/%25%20%2F..")]
    [InlineData("/v1/keys/a")]
    [InlineData("/v1/keys/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/v1/keys/%E2%82%AC%E2%82%AC%E2%82%AC")]
    public async Task Hostile_paths_get_4xx_problems(string path)
    {
        using var client = await SignedUpClientAsync(factory.CreateClient, NewUsername("fuzz"));
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative)).WaitAsync(RequestTimeout);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Malformed_tokens_are_401()
    {
        using var client = factory.CreateClient();
        foreach (var header in (string[])["Bearer", "Bearer x", "Bearer " + new string('A', 43), "Bearer " + new string('!', 43), "Bearer " + new string('A', 42) + "=", "Bearer " + new string('_', 43), "Basic abc", "Bearer " + new string('A', 5000)])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/account");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var response = await client.SendAsync(request).WaitAsync(RequestTimeout);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static async Task AssertProblemAsync(HttpClient client, string method, string path, HttpContent content, string label,
        HttpStatusCode? expected = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        using var response = await client.SendAsync(request).WaitAsync(RequestTimeout);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{method} {path} with {Shorten(label)} answered {status}");
        if (expected is { } e)
        {
            Assert.Equal(e, response.StatusCode);
        }
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class BadInputScenariosSqlite() : BadInputScenarios(DatabaseKind.Sqlite, null);

public sealed class BadInputScenariosPostgres(PostgresDatabaseFixture fixture)
    : BadInputScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
