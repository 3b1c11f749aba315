using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary>Alice and Bob exchange envelopes through the real server: online, offline, acks, duplicates.</summary>
public abstract class DeliveryScenarios : IAsyncLifetime
{
    private readonly RelayHost _host;

    protected DeliveryScenarios(DatabaseKind kind, string? connectionString) => _host = new RelayHost(kind, connectionString);

    [Fact]
    public async Task Online_recipient_gets_the_envelope_at_once_and_the_sender_hears_accepted()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        await using var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        var id = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, id, [1, 2, 3]);

        var deliver = (await b.NextAsync(Kind.Deliver)).Deliver;
        Assert.Equal(alice.Username, deliver.Sender);
        Assert.Equal(id, deliver.MessageId.ToByteArray());
        Assert.Equal([1, 2, 3], deliver.Ciphertext.ToByteArray());
        Assert.Equal(EnvelopeType.RatchetMessage, deliver.Type);
        Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
    }

    [Fact]
    public async Task A_typing_notice_to_an_online_recipient_is_pushed_and_never_stored()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var typing = RelayTestClient.NewId();
        await using (var b = (await _host.ConnectAndDrainAsync(bob)).Client)
        {
            await a.SendEnvelopeAsync(bob.Username, typing, [7], EnvelopeType.Typing);
            var deliver = (await b.NextAsync(Kind.Deliver)).Deliver;
            Assert.Equal(EnvelopeType.Typing, deliver.Type);
            Assert.Equal(typing, deliver.MessageId.ToByteArray());
            Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(typing)).Status);
            // Bob leaves without acknowledging: a stored message would come again on his next connection.
        }

        var marker = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, marker, [8]);
        Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(marker)).Status);
        var (again, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = again;
        Assert.Equal([marker], queued.Where(f => f.KindCase == Kind.Deliver).Select(f => f.Deliver.MessageId.ToByteArray()));
    }

    [Fact]
    public async Task A_typing_notice_to_an_offline_recipient_is_dropped_and_a_message_beside_it_is_queued()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var typing = RelayTestClient.NewId();
        var message = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, typing, [7], EnvelopeType.Typing);
        await a.SendEnvelopeAsync(bob.Username, message, [8]);
        Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(typing)).Status); // the sender cannot tell
        Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(message)).Status);

        var (b, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = b;
        Assert.Equal([message], queued.Where(f => f.KindCase == Kind.Deliver).Select(f => f.Deliver.MessageId.ToByteArray()));
    }

    [Fact]
    public async Task Offline_recipient_drains_the_queue_in_sender_order_then_queue_empty()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var ids = Enumerable.Range(0, 50).Select(_ => RelayTestClient.NewId()).ToList();
        foreach (var id in ids)
        {
            await a.SendEnvelopeAsync(bob.Username, id, id);
        }

        foreach (var id in ids)
        {
            Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
        }

        var (b, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = b;
        var delivered = queued.Where(f => f.KindCase == Kind.Deliver).Select(f => f.Deliver.MessageId.ToByteArray()).ToList();
        Assert.Equal(ids, delivered);
    }

    [Fact]
    public async Task Live_sends_during_a_drain_keep_order_and_arrive_once()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var ids = Enumerable.Range(0, 400).Select(_ => RelayTestClient.NewId()).ToList();
        foreach (var id in ids.Take(200))
        {
            await a.SendEnvelopeAsync(bob.Username, id, id);
        }

        // Bob connects while the rest is still being sent.
        var connecting = _host.ConnectAsync(bob);
        foreach (var id in ids.Skip(200))
        {
            await a.SendEnvelopeAsync(bob.Username, id, id);
        }

        await using var b = await connecting;
        var received = new List<byte[]>();
        while (received.Count < ids.Count)
        {
            var frame = await b.NextAsync(Kind.Deliver);
            received.Add(frame.Deliver.MessageId.ToByteArray());
            await b.AckAsync(frame.Deliver.MessageId);
        }

        Assert.Equal(ids, received);
        await b.SyncAsync();
        Assert.DoesNotContain(b.Drain(), f => f.KindCase == Kind.Deliver);
    }

    [Fact]
    public async Task Acknowledged_messages_are_deleted_and_unacknowledged_ones_come_again()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var first = RelayTestClient.NewId();
        var second = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, first, [1]);
        await a.SendEnvelopeAsync(bob.Username, second, [2]);
        await a.ResultAsync(second);

        var (b1, queued) = await _host.ConnectAndDrainAsync(bob);
        Assert.Equal(2, queued.Count(f => f.KindCase == Kind.Deliver));
        await b1.AckAsync(queued.First(f => f.KindCase == Kind.Deliver).Deliver.MessageId);
        await b1.SyncAsync();
        await b1.DisposeAsync();

        var (b2, again) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = b2;
        var redelivered = again.Where(f => f.KindCase == Kind.Deliver).Select(f => f.Deliver.MessageId.ToByteArray()).ToList();
        Assert.Equal([second], redelivered);
    }

    [Fact]
    public async Task A_repeated_id_is_acknowledged_again_without_a_second_copy()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var id = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, id, [7]);
        Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
        await a.SendEnvelopeAsync(bob.Username, id, [7]);
        Assert.Equal(SendStatus.DuplicateAccepted, (await a.ResultAsync(id)).Status);

        var (b, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = b;
        Assert.Single(queued, f => f.KindCase == Kind.Deliver);
    }

    [Fact]
    public async Task A_second_connection_replaces_the_first()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        var first = (await _host.ConnectAndDrainAsync(alice)).Client;
        await using var second = (await _host.ConnectAndDrainAsync(alice)).Client;
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, await first.Closed.WaitAsync(RelayTestClient.Timeout));
        await first.DisposeAsync();
        var id = RelayTestClient.NewId();
        await second.SendEnvelopeAsync(bob.Username, id, [1]);
        Assert.Equal(SendStatus.Accepted, (await second.ResultAsync(id)).Status);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();
}

public sealed class DeliveryScenariosSqlite() : DeliveryScenarios(DatabaseKind.Sqlite, null);

public sealed class DeliveryScenariosPostgres(PostgresDatabaseFixture fixture)
    : DeliveryScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
