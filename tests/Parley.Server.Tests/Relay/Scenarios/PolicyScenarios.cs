using System.Net;
using System.Net.WebSockets;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Relay;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary>What the relay refuses, and that a refusal or a bad socket harms nobody else.</summary>
public abstract class PolicyScenarios : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly RelayHost _host;

    protected PolicyScenarios(DatabaseKind kind, string? connectionString)
    {
        _host = new RelayHost(kind, connectionString, new Dictionary<string, string?>
        {
            ["Relay:QueueCapPerRecipient"] = "5",
            ["Relay:SendRatePerSecond"] = "0.01",
            ["Relay:SendBurst"] = "8",
        }, _time);
    }

    [Fact]
    public async Task Envelopes_between_non_contacts_are_refused_and_not_queued()
    {
        var alice = await _host.CreateUserAsync("alice");
        var mallory = await _host.CreateUserAsync("mallory");
        await using var m = (await _host.ConnectAndDrainAsync(mallory)).Client;
        var id = RelayTestClient.NewId();
        await m.SendEnvelopeAsync(alice.Username, id, [1]);
        Assert.Equal(SendStatus.NotAContact, (await m.ResultAsync(id)).Status);
        var unknown = RelayTestClient.NewId();
        await m.SendEnvelopeAsync("nobody_here", unknown, [1]);
        Assert.Equal(SendStatus.NotAContact, (await m.ResultAsync(unknown)).Status);

        var (a, queued) = await _host.ConnectAndDrainAsync(alice);
        await using var _ = a;
        Assert.DoesNotContain(queued, f => f.KindCase == Kind.Deliver);
    }

    [Fact]
    public async Task A_blocked_sender_is_refused_and_a_pending_request_does_not_make_contacts()
    {
        var alice = await _host.CreateUserAsync("alice");
        var bob = await _host.CreateUserAsync("bob");
        await _host.MakeContactsAsync(alice, bob);
        using (var block = await _host.PostAsync(bob, $"/v1/contacts/{alice.Username}/block"))
        {
            Assert.Equal(HttpStatusCode.NoContent, block.StatusCode);
        }

        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var id = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, id, [1]);
        Assert.Equal(SendStatus.NotAContact, (await a.ResultAsync(id)).Status);
    }

    [Fact]
    public async Task Oversized_ciphertext_is_too_large_and_the_limit_itself_is_accepted()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var atLimit = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, atLimit, new byte[RelayLimits.MaxCiphertextBytes]);
        Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(atLimit)).Status);
        var over = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, over, new byte[RelayLimits.MaxCiphertextBytes + 1]);
        Assert.Equal(SendStatus.TooLarge, (await a.ResultAsync(over)).Status);
    }

    [Fact]
    public async Task Malformed_sends_are_invalid()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        await a.SendAsync(new ClientFrame { Send = new Send { MessageId = ByteString.CopyFrom(new byte[15]), Recipient = bob.Username, Type = EnvelopeType.RatchetMessage } });
        Assert.Equal(SendStatus.Invalid, (await a.NextAsync(Kind.SendResult)).SendResult.Status);
        await a.SendAsync(new ClientFrame { Send = new Send { MessageId = ByteString.CopyFrom(RelayTestClient.NewId()), Recipient = bob.Username } });
        Assert.Equal(SendStatus.Invalid, (await a.NextAsync(Kind.SendResult)).SendResult.Status);
    }

    [Fact]
    public async Task The_recipient_queue_cap_refuses_with_queue_full()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await _host.ClearQueueAsync(bob);
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        for (var i = 0; i < 5; i++)
        {
            var id = RelayTestClient.NewId();
            await a.SendEnvelopeAsync(bob.Username, id, [1]);
            Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
        }

        var sixth = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, sixth, [1]);
        var result = await a.ResultAsync(sixth);
        Assert.Equal(SendStatus.QueueFull, result.Status);
        Assert.True(result.RetryAfterMs > 0);
    }

    [Fact]
    public async Task The_sender_rate_limit_answers_rate_limited_with_retry_after()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        var carol = await _host.CreateUserAsync("carol");
        await _host.MakeContactsAsync(alice, carol);
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var statuses = new List<SendResult>();
        for (var i = 0; i < 9; i++)
        {
            var id = RelayTestClient.NewId();
            await a.SendEnvelopeAsync(i % 2 == 0 ? bob.Username : carol.Username, id, [1]);
            statuses.Add(await a.ResultAsync(id));
        }

        Assert.All(statuses.Take(8), r => Assert.Equal(SendStatus.Accepted, r.Status));
        Assert.Equal(SendStatus.RateLimited, statuses[8].Status);
        Assert.True(statuses[8].RetryAfterMs > 0);
    }

    [Fact]
    public async Task Messages_older_than_the_ttl_expire()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        await _host.ClearQueueAsync(alice);
        await _host.ClearQueueAsync(bob);
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var old = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, old, [1]);
        await a.ResultAsync(old);
        _time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        var fresh = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, fresh, [2]);
        await a.ResultAsync(fresh);

        var expired = await _host.Services.GetRequiredService<QueueExpiryService>().ExpireNowAsync().WaitAsync(RelayTestClient.Timeout);
        Assert.True(expired >= 1); // PostgreSQL's database is shared by the class's tests.
        var (b, queued) = await _host.ConnectAndDrainAsync(bob);
        await using var _ = b;
        Assert.Equal([fresh], queued.Where(f => f.KindCase == Kind.Deliver).Select(f => f.Deliver.MessageId.ToByteArray()));
    }

    [Fact]
    public async Task Oversized_and_garbage_frames_close_only_that_socket()
    {
        var (alice, bob) = await _host.CreateContactsAsync();
        var carol = await _host.CreateUserAsync("carol");
        var dave = await _host.CreateUserAsync("dave");
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        await using var b = (await _host.ConnectAndDrainAsync(bob)).Client;
        await using var c = (await _host.ConnectAndDrainAsync(carol)).Client;
        await using var d = (await _host.ConnectAndDrainAsync(dave)).Client;

        await c.SendRawAsync(new byte[RelayLimits.MaxFrameBytes + 1]);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await c.Closed.WaitAsync(RelayTestClient.Timeout));
        await d.SendRawAsync([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await d.Closed.WaitAsync(RelayTestClient.Timeout));

        var id = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, id, [9]);
        Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
        Assert.Equal(id, (await b.NextAsync(Kind.Deliver)).Deliver.MessageId.ToByteArray());
    }

    [Fact]
    public async Task A_frame_at_the_size_cap_is_read_and_answered()
    {
        var alice = await _host.CreateUserAsync("alice");
        await using var a = (await _host.ConnectAndDrainAsync(alice)).Client;
        var frame = new ClientFrame { Ping = new Ping { Nonce = 5 } }.ToByteArray();
        var padded = new byte[RelayLimits.MaxFrameBytes];
        frame.CopyTo(padded, 0);
        // An unknown length-delimited field (number 15) fills the rest: tolerated, and exactly at the cap.
        var header = new byte[] { (15 << 3) | 2 };
        var length = RelayLimits.MaxFrameBytes - frame.Length - header.Length - 3;
        var varint = new byte[] { (byte)(0x80 | (length & 0x7f)), (byte)(0x80 | ((length >> 7) & 0x7f)), (byte)(length >> 14) };
        header.CopyTo(padded, frame.Length);
        varint.CopyTo(padded, frame.Length + 1);
        await a.SendRawAsync(padded);
        Assert.Equal(5UL, (await a.NextAsync(Kind.Pong)).Pong.Nonce);
    }

    [Fact]
    public async Task Foreign_browser_origins_are_refused_and_tokens_are_required()
    {
        var alice = await _host.CreateUserAsync("alice");
        await Assert.ThrowsAnyAsync<Exception>(() => _host.ConnectAsync(alice, origin: "https://evil.example"));
        await Assert.ThrowsAnyAsync<Exception>(() => _host.ConnectAsync(alice with { Token = "not-a-token" }));
        await using var native = await _host.ConnectAsync(alice);
        await native.SyncAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();
}

public sealed class PolicyScenariosSqlite() : PolicyScenarios(DatabaseKind.Sqlite, null);

public sealed class PolicyScenariosPostgres(PostgresDatabaseFixture fixture)
    : PolicyScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
