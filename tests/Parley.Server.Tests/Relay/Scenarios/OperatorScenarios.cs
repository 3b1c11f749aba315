using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Accounts;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Parley.Wire.Rest;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary>What operators see (aggregates in /metrics) and what account deletion removes.</summary>
public sealed class OperatorScenarios : IAsyncLifetime
{
    private readonly RelayHost _host = new(DatabaseKind.Sqlite, null);

    [Fact]
    public async Task Metrics_show_connected_clients_accepted_delivered_and_queue_depth_without_user_data()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        await _host.MakeContactsAsync(alice, bob);
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        await using var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        var id = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, id, [1]);
        await a.ResultAsync(id);
        var deliver = (await b.NextAsync(Kind.Deliver)).Deliver;
        await b.AckAsync(deliver.MessageId);
        await b.SyncAsync(); // the server has handed the ack to the writer…
        await _host.Services.GetRequiredService<Parley.Server.Relay.GroupCommitWriter>().BarrierAsync().WaitAsync(RelayTestClient.Timeout); // …which applied it

        var text = await MetricsScrape.TextAsync(_host.Services);
        Assert.Equal(2, Value(text, "parley_relay_connected_clients"));
        Assert.True(Value(text, "parley_relay_messages_accepted_total") >= 1);
        Assert.True(Value(text, "parley_relay_messages_delivered_total") >= 1);
        Assert.True(Value(text, "parley_relay_queue_depth") >= 0);
        Assert.DoesNotContain(alice.Username, text, StringComparison.Ordinal);
        Assert.DoesNotContain(bob.Username, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_account_closes_its_socket_and_removes_its_queue_and_contacts()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        await _host.MakeContactsAsync(alice, bob);
        var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        await using (var a = (await _host.ConnectAndDrainAsync(alice)).Client)
        {
            var id = RelayTestClient.NewId();
            await a.SendEnvelopeAsync(bob.Username, id, [1]);
            await a.ResultAsync(id);
        }

        foreach (var listener in _host.Services.GetServices<IAccountDeletionListener>())
        {
            await listener.OnAccountDeletingAsync(new AccountId(bob.Id), CancellationToken.None).WaitAsync(RelayTestClient.Timeout);
        }

        await b.Closed.WaitAsync(RelayTestClient.Timeout);
        await b.DisposeAsync();
        using var http = _host.Http(alice);
        var contacts = await http.GetFromJsonAsync<ContactListResponse>(new Uri("/v1/contacts", UriKind.Relative)).WaitAsync(RelayTestClient.Timeout);
        Assert.Empty(contacts!.Contacts);
        var (again, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = again;
        Assert.DoesNotContain(queued, f => f.KindCase == Kind.Deliver);
    }

    [Fact]
    public async Task Logging_out_closes_the_socket_opened_with_that_token_and_the_token_opens_no_new_one()
    {
        var alice = await _host.CreateUserAsync("alice");
        await using var socket = (await _host.ConnectAndDrainAsync(alice)).Client;
        using (var logout = await _host.PostAsync(alice, "/v1/auth/logout"))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, logout.StatusCode);
        }

        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, await socket.Closed.WaitAsync(RelayTestClient.Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => _host.ConnectAsync(alice));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static double Value(string metrics, string name)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
