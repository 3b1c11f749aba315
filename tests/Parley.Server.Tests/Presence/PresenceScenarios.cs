using System.Net;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Presence;

/// <summary>Presence goes to contacts only: never to strangers, never to blocked users.</summary>
public abstract class PresenceScenarios : IAsyncLifetime
{
    private readonly RelayHost _host;

    protected PresenceScenarios(DatabaseKind kind, string? connectionString) => _host = new RelayHost(kind, connectionString);

    [Fact]
    public async Task Contacts_see_online_and_offline_strangers_see_nothing()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        var carol = await _host.CreateUserAsync("carol");
        await _host.MakeContactsAsync(alice, bob);
        await using var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        await using var c = (await _host.ConnectAndDrainAsync(carol)).Client;

        var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var online = (await b.NextAsync(f => f.KindCase == Kind.Presence && f.Presence.Username == alice.Username)).Presence;
        Assert.True(online.Online);
        await a.DisposeAsync();
        var offline = (await b.NextAsync(f => f.KindCase == Kind.Presence && f.Presence.Username == alice.Username)).Presence;
        Assert.False(offline.Online);

        await c.SyncAsync();
        Assert.DoesNotContain(c.Skipped.Concat(c.Drain()), f => f.KindCase == Kind.Presence);
    }

    [Fact]
    public async Task A_query_answers_for_contacts_only()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        var carol = await _host.CreateUserAsync("carol");
        await _host.MakeContactsAsync(alice, bob);
        await using var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        await using var c = (await _host.ConnectAndDrainAsync(carol)).Client;
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;

        await a.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery { Usernames = { bob.Username, carol.Username } } });
        await a.NextAsync(Kind.PresenceQueryDone);
        // Bob's own "online" announcement may still be on its way when alice connects, so a second
        // frame about bob can arrive beside the answer; nothing about carol may.
        var answers = a.Skipped.Where(f => f.KindCase == Kind.Presence).Select(f => f.Presence).ToList();
        Assert.NotEmpty(answers);
        Assert.All(answers, p => Assert.Equal(bob.Username, p.Username));
        Assert.All(answers, p => Assert.True(p.Online));

        await c.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery { Usernames = { alice.Username } } });
        await c.NextAsync(Kind.PresenceQueryDone);
        Assert.DoesNotContain(c.Skipped, f => f.KindCase == Kind.Presence);
    }

    [Fact]
    public async Task A_blocked_contact_no_longer_sees_presence()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        await _host.MakeContactsAsync(alice, bob);
        using (var block = await _host.PostAsync(bob, $"/v1/contacts/{alice.Username}/block"))
        {
            Assert.Equal(HttpStatusCode.NoContent, block.StatusCode);
        }

        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        await b.DisposeAsync();
        await a.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery() });
        await a.NextAsync(Kind.PresenceQueryDone);
        Assert.DoesNotContain(a.Skipped, f => f.KindCase == Kind.Presence);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();
}

public sealed class PresenceScenariosSqlite() : PresenceScenarios(DatabaseKind.Sqlite, null);

public sealed class PresenceScenariosPostgres(PostgresDatabaseFixture fixture)
    : PresenceScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
