using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire.Rest;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// Issue 14, item 3: every endpoint that takes a username answers an unknown user exactly as an
/// existing user who is not in the relation (status and body; the per-request <c>traceId</c> aside).
/// Only a contact request — which its target sees — tells them apart, and it is rate-limited.
/// </summary>
public abstract class ExistenceOracleTests : IAsyncLifetime
{
    private readonly RelayHost _host;

    protected ExistenceOracleTests(DatabaseKind kind, string? connectionString) =>
        _host = new RelayHost(kind, connectionString, new Dictionary<string, string?> { ["Contacts:RequestsPerRequesterPerHour"] = "3" });

    public static TheoryData<string, string> Endpoints { get; } = new()
    {
        { "POST", "/v1/contacts/{0}/accept" },
        { "POST", "/v1/contacts/{0}/decline" },
        { "POST", "/v1/contacts/{0}/cancel" },
        { "POST", "/v1/contacts/{0}/remove" },
        { "POST", "/v1/contacts/{0}/block" },
        { "POST", "/v1/contacts/{0}/unblock" },
        { "GET", "/v1/keys/{0}" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_unknown_user_is_answered_exactly_like_an_existing_stranger(string method, string route)
    {
        var me = await _host.CreateUserAsync("asker");
        var stranger = await _host.CreateUserAsync("stranger");
        var unknown = "ghost_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

        var (existingStatus, existingBody) = await CallAsync(me, method, string.Format(System.Globalization.CultureInfo.InvariantCulture, route, stranger.Username));
        var (unknownStatus, unknownBody) = await CallAsync(me, method, string.Format(System.Globalization.CultureInfo.InvariantCulture, route, unknown));

        Assert.Equal(existingStatus, unknownStatus);
        Assert.Equal(existingBody, unknownBody);
        Assert.NotEqual(HttpStatusCode.InternalServerError, unknownStatus);
    }

    [Fact]
    public async Task Blocking_and_unblocking_an_unknown_user_look_like_blocking_a_stranger_in_the_list_too()
    {
        var me = await _host.CreateUserAsync("asker");
        var stranger = await _host.CreateUserAsync("stranger");
        var unknown = "ghost_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        foreach (var name in new[] { stranger.Username, unknown })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await CallAsync(me, "POST", $"/v1/contacts/{name}/block")).Status);
        }
        var list = await ListAsync(me);
        Assert.Equal([(stranger.Username, ContactStates.Blocked), (unknown, ContactStates.Blocked)],
            list.Select(c => (c.Username, c.State)).OrderBy(c => c.Username == unknown).ToList());
        foreach (var name in new[] { stranger.Username, unknown })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await CallAsync(me, "POST", $"/v1/contacts/{name}/unblock")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(me, "POST", $"/v1/contacts/{name}/unblock")).Status);
        }
        Assert.Empty(await ListAsync(me));
    }

    [Fact]
    public async Task Contact_requests_are_rate_limited_at_the_limit_for_known_and_unknown_names_alike()
    {
        var me = await _host.CreateUserAsync("asker");
        var known = await _host.CreateUserAsync("known");
        Assert.Equal(HttpStatusCode.NoContent, (await RequestAsync(me, known.Username)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RequestAsync(me, "ghost_a1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RequestAsync(me, "ghost_a2")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RequestAsync(me, "ghost_a3")).Status);
        var other = await _host.CreateUserAsync("known");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RequestAsync(me, other.Username)).Status);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> RequestAsync(TestUser me, string name)
    {
        using var response = await _host.PostAsync(me, "/v1/contacts/requests", new ContactRequestBody { Username = name });
        return (response.StatusCode, await response.Content.ReadAsStringAsync().WaitAsync(RelayTestClient.Timeout));
    }

    private async Task<(HttpStatusCode Status, string Body)> CallAsync(TestUser me, string method, string path)
    {
        using var http = _host.Http(me);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using var response = await http.SendAsync(request).WaitAsync(RelayTestClient.Timeout);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(RelayTestClient.Timeout);
        if (body.Length > 0 && JsonNode.Parse(body) is JsonObject json)
        {
            json.Remove("traceId");
            body = json.ToJsonString();
        }
        return (response.StatusCode, body);
    }

    private async Task<List<ContactDto>> ListAsync(TestUser me)
    {
        using var http = _host.Http(me);
        var list = await http.GetFromJsonAsync<ContactListResponse>(new Uri("/v1/contacts", UriKind.Relative), RestJson.Options).WaitAsync(RelayTestClient.Timeout);
        return list!.Contacts.ToList();
    }
}

public sealed class ExistenceOracleTestsSqlite() : ExistenceOracleTests(DatabaseKind.Sqlite, null);

public sealed class ExistenceOracleTestsPostgres(PostgresDatabaseFixture fixture)
    : ExistenceOracleTests(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
