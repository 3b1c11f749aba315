using System.Net.WebSockets;
using Google.Protobuf;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Parley.Wire.Relay;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary>
/// The batched frames of PROTOCOL.md 10.7: SendResultBatch only after Capabilities, every send answered
/// exactly once either way; AckBatch deletes like one Ack per id; malformed batches close the socket.
/// </summary>
public abstract class BatchScenarios : IAsyncLifetime
{
    private readonly RelayHost _host;

    protected BatchScenarios(DatabaseKind kind, string? connectionString) => _host = new RelayHost(kind, connectionString);

    [Fact]
    public async Task After_capabilities_every_send_is_answered_exactly_once_and_results_come_batched()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        await a.SendAsync(new ClientFrame { Capabilities = new Capabilities { SendResultBatch = true } });
        var ids = Enumerable.Range(0, 300).Select(_ => RelayTestClient.NewId()).ToList();
        foreach (var id in ids)
        {
            await a.SendEnvelopeAsync(bob.Username, id, id);
        }

        var (results, batches) = await CollectResultsAsync(a, ids.Count);
        Assert.Equal(ids.Select(Convert.ToHexString).Order(), results.Keys.Order());
        Assert.All(results.Values, status => Assert.Equal(SendStatus.Accepted, status));
        Assert.True(batches > 0);

        // A repeat is DUPLICATE_ACCEPTED, carried in full among the batch's others.
        await a.SendEnvelopeAsync(bob.Username, ids[0], ids[0]);
        var (repeat, _) = await CollectResultsAsync(a, 1);
        Assert.Equal(SendStatus.DuplicateAccepted, repeat[Convert.ToHexString(ids[0])]);
    }

    [Fact]
    public async Task Without_capabilities_each_send_gets_its_own_send_result()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var ids = Enumerable.Range(0, 20).Select(_ => RelayTestClient.NewId()).ToList();
        foreach (var id in ids)
        {
            await a.SendEnvelopeAsync(bob.Username, id, id);
        }

        foreach (var id in ids)
        {
            Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
        }

        await a.SyncAsync();
        Assert.DoesNotContain(a.Skipped.Concat(a.Drain()), f => f.KindCase == Kind.SendResultBatch);
    }

    [Fact]
    public async Task An_ack_batch_deletes_every_message_it_names_and_nothing_else()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await _host.ClearQueueAsync(bob);
        await using (var a = (await _host.ConnectAndDrainAsync(alice)).Client)
        {
            for (var i = 0; i < 21; i++)
            {
                var id = RelayTestClient.NewId();
                await a.SendEnvelopeAsync(bob.Username, id, id);
                Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
            }
        }

        var (b, queued) = await _host.ConnectAndDrainAsync(bob);
        var delivered = queued.Where(f => f.KindCase == Kind.Deliver).Select(f => f.Deliver.MessageId).ToList();
        Assert.Equal(21, delivered.Count);
        await using (b)
        {
            // The last one stays unacknowledged; an unknown id in the batch is ignored.
            await b.SendAsync(AckBatch(delivered.Take(20).Append(ByteString.CopyFrom(RelayTestClient.NewId()))));
            await b.SyncAsync();
        }

        var (again, requeued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = again;
        Assert.Equal([delivered[20]], requeued.Where(f => f.KindCase == Kind.Deliver).Select(f => f.Deliver.MessageId));
    }

    [Fact]
    public async Task An_ack_batch_at_the_id_cap_is_read()
    {
        var alice = await _host.CreateUserAsync("alice");
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        await a.SendAsync(AckBatch(Enumerable.Range(0, MessageIdList.MaxIds).Select(_ => ByteString.CopyFrom(RelayTestClient.NewId()))));
        await a.SyncAsync();
    }

    [Theory]
    [InlineData(MessageIdList.MaxIds + 1, 0)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    public async Task A_malformed_ack_batch_closes_the_socket_with_1008(int ids, int extraBytes)
    {
        var alice = await _host.CreateUserAsync("alice");
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var packed = new byte[(ids * MessageIdList.IdBytes) + extraBytes];
        await a.SendAsync(new ClientFrame { AckBatch = new AckBatch { MessageIds = ByteString.CopyFrom(packed) } });
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await a.Closed.WaitAsync(RelayTestClient.Timeout));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static ClientFrame AckBatch(IEnumerable<ByteString> ids) =>
        new() { AckBatch = new AckBatch { MessageIds = ByteString.CopyFrom(ids.SelectMany(id => id.ToByteArray()).ToArray()) } };

    /// <summary>Reads results (single or batched) until <paramref name="count"/> sends are answered; fails on any answered twice.</summary>
    private static async Task<(Dictionary<string, SendStatus> Results, int Batches)> CollectResultsAsync(RelayTestClient client, int count)
    {
        var results = new Dictionary<string, SendStatus>();
        var batches = 0;
        while (results.Count < count)
        {
            var frame = await client.NextAsync(f => f.KindCase is Kind.SendResult or Kind.SendResultBatch);
            if (frame.KindCase == Kind.SendResult)
            {
                results.Add(Convert.ToHexString(frame.SendResult.MessageId.Span), frame.SendResult.Status);
                continue;
            }

            batches++;
            var accepted = frame.SendResultBatch.AcceptedIds.Span;
            Assert.True(MessageIdList.IsValid(accepted, allowEmpty: true));
            for (var i = 0; i < MessageIdList.Count(accepted); i++)
            {
                results.Add(Convert.ToHexString(MessageIdList.At(accepted, i)), SendStatus.Accepted);
            }

            foreach (var other in frame.SendResultBatch.Others)
            {
                results.Add(Convert.ToHexString(other.MessageId.Span), other.Status);
            }
        }

        return (results, batches);
    }
}

public sealed class BatchScenariosSqlite() : BatchScenarios(DatabaseKind.Sqlite, null);

public sealed class BatchScenariosPostgres(PostgresDatabaseFixture fixture)
    : BatchScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
