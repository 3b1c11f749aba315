using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Relay.Properties;

/// <summary>
/// Random interleavings (seeded, so a failure reproduces) of sends, recipient reconnects and partial
/// acknowledgements: every accepted message reaches the recipient, an acknowledged message never comes
/// again, and within one connection the sender's order holds.
/// </summary>
public abstract class DeliveryProperties : IAsyncLifetime
{
    private readonly RelayHost _host;

    protected DeliveryProperties(DatabaseKind kind, string? connectionString) => _host = new RelayHost(kind, connectionString);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_reconnects_and_partial_acks_lose_nothing_repeat_nothing_acknowledged_and_keep_order(int seed)
    {
        var random = new Random(seed);
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        await _host.MakeContactsAsync(alice, bob);
        await _host.ClearQueueAsync(bob);
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var order = new Dictionary<string, int>();
        var acknowledged = new HashSet<string>();
        RelayTestClient? b = null;
        var sent = 0;
        var lastIndexInConnection = -1;

        for (var step = 0; step < 40; step++)
        {
            switch (random.Next(4))
            {
                case 0 or 1:
                    for (var n = random.Next(1, 20); n > 0; n--)
                    {
                        var id = RelayTestClient.NewId();
                        order[Convert.ToHexString(id)] = sent++;
                        await a.SendEnvelopeAsync(bob.Username, id, [1]);
                    }

                    break;
                case 2:
                    if (b is not null)
                    {
                        await b.DisposeAsync();
                    }

                    b = await _host.ConnectAsync(bob);
                    lastIndexInConnection = -1;
                    break;
                default:
                    if (b is not null)
                    {
                        await b.SyncAsync();
                        lastIndexInConnection = await TakeAsync(b, random, order, acknowledged, lastIndexInConnection);
                    }

                    break;
            }
        }

        await a.SyncAsync();
        if (b is not null)
        {
            await b.DisposeAsync();
        }

        // Final connection: acknowledge everything until the queue is empty.
        await using var last = await _host.ConnectAsync(bob);
        await last.NextAsync(Kind.QueueEmpty);
        lastIndexInConnection = -1;
        foreach (var frame in last.Skipped.Where(f => f.KindCase == Kind.Deliver))
        {
            var key = Convert.ToHexString(frame.Deliver.MessageId.Span);
            Assert.DoesNotContain(key, acknowledged);
            Assert.True(order[key] > lastIndexInConnection, "sender order within a connection");
            lastIndexInConnection = order[key];
            acknowledged.Add(key);
            await last.AckAsync(frame.Deliver.MessageId);
        }

        // Whatever was still in flight at the last connect arrives live.
        while (acknowledged.Count < sent)
        {
            var frame = (await last.NextAsync(Kind.Deliver)).Deliver;
            var key = Convert.ToHexString(frame.MessageId.Span);
            Assert.DoesNotContain(key, acknowledged);
            acknowledged.Add(key);
            await last.AckAsync(frame.MessageId);
        }

        Assert.Equal(order.Keys.ToHashSet(), acknowledged);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Takes what has arrived; acknowledges a random part of it. Returns the last sender index seen.</summary>
    private static async Task<int> TakeAsync(RelayTestClient b, Random random, Dictionary<string, int> order, HashSet<string> acknowledged, int last)
    {
        foreach (var frame in b.Skipped.Concat(b.Drain()).Where(f => f.KindCase == Kind.Deliver).ToList())
        {
            var key = Convert.ToHexString(frame.Deliver.MessageId.Span);
            Assert.DoesNotContain(key, acknowledged);
            Assert.True(order[key] > last, "sender order within a connection");
            last = order[key];
            if (random.Next(2) == 0)
            {
                acknowledged.Add(key);
                await b.AckAsync(frame.Deliver.MessageId);
            }
        }

        b.Skipped.Clear();
        return last;
    }
}

public sealed class DeliveryPropertiesSqlite() : DeliveryProperties(DatabaseKind.Sqlite, null);

public sealed class DeliveryPropertiesPostgres(PostgresDatabaseFixture fixture)
    : DeliveryProperties(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
