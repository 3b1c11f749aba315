using System.Net;
using System.Net.Http.Json;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Parley.Wire.Rest;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Contacts;

/// <summary>The contact relation through the REST API; its events travel through the durable queue.</summary>
public abstract class ContactScenarios : IAsyncLifetime
{
    private readonly RelayHost _host;

    protected ContactScenarios(DatabaseKind kind, string? connectionString) => _host = new RelayHost(kind, connectionString);

    [Fact]
    public async Task A_request_with_a_note_reaches_an_offline_user_and_the_answer_comes_back()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        using (var request = await _host.PostAsync(alice, "/v1/contacts/requests", new ContactRequestBody { Username = bob.Username, Note = "it's Alice" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, request.StatusCode);
        }

        var (b, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = b;
        var incoming = Assert.Single(queued, f => f.KindCase == Kind.ContactEvent).ContactEvent;
        Assert.Equal(ContactEventKind.Request, incoming.Kind);
        Assert.Equal(alice.Username, incoming.From);
        Assert.Equal("it's Alice", incoming.Note);
        Assert.Equal(ContactStates.Incoming, (await ListAsync(bob)).Single().State);

        using (var accept = await _host.PostAsync(bob, $"/v1/contacts/{alice.Username}/accept"))
        {
            Assert.Equal(HttpStatusCode.NoContent, accept.StatusCode);
        }

        var (a, aliceQueue) = await _host.ConnectAndDrainAsync(alice);
        await using var __ = a;
        var answer = Assert.Single(aliceQueue, f => f.KindCase == Kind.ContactEvent).ContactEvent;
        Assert.Equal(ContactEventKind.Accepted, answer.Kind);
        Assert.Equal(bob.Username, answer.From);
        Assert.Equal(ContactStates.Accepted, (await ListAsync(alice)).Single().State);
    }

    [Fact]
    public async Task Decline_cancel_and_remove_each_end_the_relation_and_tell_the_other_side()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        await using var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;

        await Post(alice, "/v1/contacts/requests", new ContactRequestBody { Username = bob.Username });
        await Post(bob, $"/v1/contacts/{alice.Username}/decline");
        Assert.Equal(ContactEventKind.Declined, (await a.NextAsync(Kind.ContactEvent)).ContactEvent.Kind);
        Assert.Empty(await ListAsync(alice));

        await Post(alice, "/v1/contacts/requests", new ContactRequestBody { Username = bob.Username });
        await Post(alice, $"/v1/contacts/{bob.Username}/cancel");
        Assert.Equal(ContactEventKind.Request, (await b.NextAsync(Kind.ContactEvent)).ContactEvent.Kind);
        Assert.Equal(ContactEventKind.Request, (await b.NextAsync(Kind.ContactEvent)).ContactEvent.Kind);
        Assert.Equal(ContactEventKind.Cancelled, (await b.NextAsync(Kind.ContactEvent)).ContactEvent.Kind);
        Assert.Empty(await ListAsync(bob));

        await _host.MakeContactsAsync(alice, bob);
        await Post(bob, $"/v1/contacts/{alice.Username}/remove");
        var events = new List<ContactEventKind>();
        while (events.LastOrDefault() != ContactEventKind.Removed)
        {
            events.Add((await a.NextAsync(Kind.ContactEvent)).ContactEvent.Kind);
        }

        Assert.Empty(await ListAsync(alice));
        var id = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, id, [1]);
        Assert.Equal(SendStatus.NotAContact, (await a.ResultAsync(id)).Status);
    }

    [Fact]
    public async Task Blocking_is_silent_and_unblocking_needs_a_new_request()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        await Post(bob, $"/v1/contacts/{alice.Username}/block");
        using (var request = await _host.PostAsync(alice, "/v1/contacts/requests", new ContactRequestBody { Username = bob.Username }))
        {
            Assert.Equal(HttpStatusCode.NoContent, request.StatusCode); // looks like any unanswered request
        }

        var (b, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = b;
        Assert.DoesNotContain(queued, f => f.KindCase == Kind.ContactEvent);
        Assert.Equal(ContactStates.Blocked, (await ListAsync(bob)).Single().State);
        await Post(bob, $"/v1/contacts/{alice.Username}/unblock");
        Assert.Empty(await ListAsync(bob));
    }

    [Fact]
    public async Task Bad_requests_are_problems_that_change_nothing()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        using var tooLong = await _host.PostAsync(alice, "/v1/contacts/requests",
            new ContactRequestBody { Username = bob.Username, Note = new string('x', ContactRequestBody.MaxNoteLength + 1) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        using var self = await _host.PostAsync(alice, "/v1/contacts/requests", new ContactRequestBody { Username = alice.Username });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        using var unknown = await _host.PostAsync(alice, "/v1/contacts/requests", new ContactRequestBody { Username = "nobody_here" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var nothingPending = await _host.PostAsync(alice, $"/v1/contacts/{bob.Username}/accept");
        Assert.Equal(HttpStatusCode.Conflict, nothingPending.StatusCode);
        using var garbage = await _host.Http(alice).PostAsync(new Uri("/v1/contacts/requests", UriKind.Relative),
            new StringContent("{\"username\": 5", System.Text.Encoding.UTF8, "application/json")).WaitAsync(RelayTestClient.Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        using var atLimit = await _host.PostAsync(alice, "/v1/contacts/requests",
            new ContactRequestBody { Username = bob.Username, Note = new string('x', ContactRequestBody.MaxNoteLength) });
        Assert.Equal(HttpStatusCode.NoContent, atLimit.StatusCode);
        Assert.Equal(ContactStates.Outgoing, (await ListAsync(alice)).Single().State);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task Post(TestUser user, string path, object? body = null)
    {
        using var response = await _host.PostAsync(user, path, body);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<IList<ContactDto>> ListAsync(TestUser user)
    {
        using var http = _host.Http(user);
        var list = await http.GetFromJsonAsync<ContactListResponse>(new Uri("/v1/contacts", UriKind.Relative)).WaitAsync(RelayTestClient.Timeout);
        return list!.Contacts;
    }
}

public sealed class ContactScenariosSqlite() : ContactScenarios(DatabaseKind.Sqlite, null);

public sealed class ContactScenariosPostgres(PostgresDatabaseFixture fixture)
    : ContactScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
