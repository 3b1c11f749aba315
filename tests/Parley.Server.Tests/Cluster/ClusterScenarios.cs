using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Google.Protobuf;
using Npgsql;
using Parley.Server.Tests.Cluster.Support;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Files.Scenarios.TusRequests;

namespace Parley.Server.Tests.Cluster;

/// <summary>
/// Three real nodes on one PostgreSQL, Redis and S3 behind nginx: users on different nodes exchange
/// contact requests, messages, presence and files; an account's newer socket closes its older one on
/// another node; a node killed with SIGKILL mid-flood loses no acknowledged message; a Redis outage
/// delays nothing beyond the sweep.
/// </summary>
[Collection(ClusterGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterScenarios
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly ClusterFixture cluster;

    public ClusterScenarios(ClusterFixture cluster) => this.cluster = cluster;

    [Fact]
    public async Task Users_on_different_nodes_exchange_contact_requests_messages_presence_and_files()
    {
        var alice = await cluster.SignUpAsync("alice");
        var bob = await cluster.SignUpAsync("bob");
        await using var a = await ConnectDrainedAsync(cluster.Node(0), alice);
        await using var b = await ConnectDrainedAsync(cluster.Node(1), bob);

        using (var http = ClusterFixture.Http(cluster.Node(2), alice.Token))
        using (var request = await http.PostAsJsonAsync("v1/contacts/requests", new ContactRequestBody { Username = bob.Username, Note = "hi" }).WaitAsync(Wait))
        {
            request.EnsureSuccessStatusCode();
        }

        var asked = await b.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.ContactEvent);
        Assert.Equal(alice.Username, asked.ContactEvent.From);
        await b.AckAsync(asked.ContactEvent.MessageId);
        using (var http = ClusterFixture.Http(cluster.Front, bob.Token))
        using (var accept = await http.PostAsync(new Uri($"v1/contacts/{alice.Username}/accept", UriKind.Relative), null).WaitAsync(Wait))
        {
            accept.EnsureSuccessStatusCode();
        }

        var accepted = await a.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.ContactEvent);
        await a.AckAsync(accepted.ContactEvent.MessageId);
        // Bob was online before the two became contacts, so no pushed presence is owed here (and one
        // may race the contact-cache invalidation on node 0); the presence query below proves
        // cluster-wide presence, and bob's going offline is pushed once they are contacts.

        var sent = Enumerable.Range(0, 30).Select(_ => RelayTestClient.NewId()).ToList();
        foreach (var id in sent)
        {
            await a.SendEnvelopeAsync(bob.Username, id, id);
            Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
        }

        var received = new List<byte[]>();
        while (received.Count < sent.Count)
        {
            var deliver = (await b.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.Deliver)).Deliver;
            Assert.Equal(alice.Username, deliver.Sender);
            received.Add(deliver.MessageId.ToByteArray());
            await b.AckAsync(deliver.MessageId);
        }

        Assert.Equal(sent.Select(Convert.ToHexString), received.Select(Convert.ToHexString)); // in order, once each

        // Typing is online only, but a recipient on another node still hears it (through the queue, as Redis carries no content).
        var typing = RelayTestClient.NewId();
        await a.SendEnvelopeAsync(bob.Username, typing, [1], EnvelopeType.Typing);
        var typed = (await b.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.Deliver)).Deliver;
        Assert.Equal(EnvelopeType.Typing, typed.Type);
        Assert.Equal(typing, typed.MessageId.ToByteArray());
        await b.AckAsync(typed.MessageId);

        await a.SendAsync(new ClientFrame { PresenceQuery = new PresenceQuery() });
        var answer = await a.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.Presence && f.Presence.Username == bob.Username);
        Assert.True(answer.Presence.Online);

        await b.SyncAsync();
        await b.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Wait);
        await a.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.Presence && f.Presence.Username == bob.Username && !f.Presence.Online);

        // A file uploaded through node 0 downloads through node 2 (the blob is in S3).
        byte[] data = RandomNumberGenerator.GetBytes(200_000);
        using var uploader = ClusterFixture.Http(cluster.Node(0), alice.Token);
        string location = await CreateAsync(uploader, data.Length);
        (await PatchAsync(uploader, location, 0, data[..120_000])).Dispose();
        (await PatchAsync(uploader, location, 120_000, data[120_000..])).Dispose();
        using var downloader = ClusterFixture.Http(cluster.Node(2), bob.Token);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await downloader.GetByteArrayAsync(location).WaitAsync(Wait)));
    }

    [Fact]
    public async Task A_newer_connection_on_another_node_closes_the_older_one()
    {
        var bob = await cluster.SignUpAsync("bob");
        await using var first = await ConnectDrainedAsync(cluster.Node(0), bob);
        await first.SyncAsync();
        await using var second = await ConnectDrainedAsync(cluster.Node(1), bob);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.Closed.WaitAsync(Wait));
        await second.SyncAsync();
    }

    [Fact]
    public async Task A_node_killed_mid_flood_loses_no_acknowledged_message_and_the_queue_drains()
    {
        const int total = 300;
        var (alice, bob) = await ContactsAsync();
        var ids = Enumerable.Range(0, total).Select(_ => RelayTestClient.NewId()).ToList();
        var accepted = new HashSet<string>();
        var delivered = new List<string>();
        await using var b = await ConnectDrainedAsync(cluster.Node(1), bob); // node 1 survives: exactly once on the wire
        using var stop = new CancellationTokenSource();
        var receiving = ReceiveAsync(b, delivered, stop.Token);

        var sender = await ConnectDrainedAsync(cluster.Node(0), alice); // node 0 is killed under it
        var killed = false;
        var reconnects = 0;
        try
        {
            while (accepted.Count < total)
            {
                if (!killed && accepted.Count >= total / 3)
                {
                    killed = true;
                    await cluster.KillNodeAsync(0);
                }

                try
                {
                    await SendWindowAsync(sender, bob.Username, ids.Where(id => !accepted.Contains(Convert.ToHexString(id))).Take(20).ToList(), accepted);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or System.Threading.Channels.ChannelClosedException or TimeoutException)
                {
                    // The node died: reconnect through nginx and resend whatever was not acknowledged.
                    Assert.True(++reconnects <= 5, "too many reconnects");
                    await sender.DisposeAsync();
                    sender = await ConnectDrainedAsync(cluster.Front, alice);
                }
            }
        }
        finally
        {
            await sender.DisposeAsync();
        }

        Assert.True(killed && reconnects >= 1);
        await WaitUntilAsync(() => { lock (delivered) { return delivered.Count >= total; } });
        await stop.CancelAsync();
        await receiving; // its last acknowledgement has been sent on the socket
        lock (delivered)
        {
            Assert.Equal(total, delivered.Count);
            Assert.Equal(accepted.Order(), delivered.Order()); // every acknowledged message, exactly once
        }

        // Reconnecting on the same node passes its writer's barrier: the acknowledgements are committed.
        await b.DisposeAsync();
        await using (var again = await ConnectAsync(cluster.Node(1), bob))
        {
            var first = await again.NextAsync(f => f.KindCase is ServerFrame.KindOneofCase.QueueEmpty or ServerFrame.KindOneofCase.Deliver);
            Assert.Equal(ServerFrame.KindOneofCase.QueueEmpty, first.KindCase);
        }

        Assert.Equal(0, await QueuedForAsync(bob.Username));
        await cluster.StartNodeAsync(0);
    }

    [Fact]
    public async Task With_Redis_down_for_ten_seconds_mail_still_arrives_within_the_sweep_and_nothing_is_lost()
    {
        var (alice, bob) = await ContactsAsync();
        await using var a = await ConnectDrainedAsync(cluster.Node(0), alice);
        await using var b = await ConnectDrainedAsync(cluster.Node(2), bob);
        var outage = Stopwatch.StartNew();
        await cluster.Redis.StopAsync();
        try
        {
            var during = await SendAndReceiveAsync(a, b, bob.Username, 10);
            // No doorbell can ring: the sweep found the mail. Generous slack for a loaded 2-core CI machine.
            Assert.True(during < ClusterFixture.SweepInterval + TimeSpan.FromSeconds(10), $"delivery took {during}");
            await ThrottledRequestsFailClosedAsync();
            var rest = TimeSpan.FromSeconds(10) - outage.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest); // the outage the scenario asks for lasts ten seconds
            }
        }
        finally
        {
            await cluster.Redis.StartAgainAsync();
        }

        await SendAndReceiveAsync(a, b, bob.Username, 10);
        Assert.DoesNotContain(b.Drain(), f => f.KindCase == ServerFrame.KindOneofCase.Deliver);
    }

    /// <summary>
    /// While the shared throttle state is away, a throttled request (here a challenge, which counts
    /// towards the per-address request limit) is refused with 503 and Retry-After — never served unthrottled.
    /// </summary>
    private async Task ThrottledRequestsFailClosedAsync()
    {
        using var node = new HttpClient { BaseAddress = cluster.Node(1), Timeout = AuthFlows.RequestTimeout };
        using var refused = await node.PostAsJsonAsync("/v1/auth/challenge", new PowChallengeRequest(null, null), RestJson.Options)
            .WaitAsync(AuthFlows.RequestTimeout);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("urn:parley:problem:unavailable", await refused.Content.ReadAsStringAsync().WaitAsync(AuthFlows.RequestTimeout), StringComparison.Ordinal);
    }

    private static async Task<TimeSpan> SendAndReceiveAsync(RelayTestClient a, RelayTestClient b, string to, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => RelayTestClient.NewId()).ToList();
        var watch = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            await a.SendEnvelopeAsync(to, id, id);
            Assert.Equal(SendStatus.Accepted, (await a.ResultAsync(id)).Status);
        }

        var got = new List<string>();
        while (got.Count < count)
        {
            var deliver = (await b.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.Deliver)).Deliver;
            got.Add(Convert.ToHexString(deliver.MessageId.Span));
            await b.AckAsync(deliver.MessageId);
        }

        Assert.Equal(ids.Select(Convert.ToHexString), got);
        return watch.Elapsed;
    }

    private static async Task SendWindowAsync(RelayTestClient sender, string to, List<byte[]> window, HashSet<string> accepted)
    {
        foreach (var id in window)
        {
            await sender.SendEnvelopeAsync(to, id, id);
        }

        foreach (var id in window)
        {
            var result = await sender.ResultAsync(id);
            if (result.Status is SendStatus.Accepted or SendStatus.DuplicateAccepted)
            {
                accepted.Add(Convert.ToHexString(id));
            }
        }
    }

    private static async Task ReceiveAsync(RelayTestClient client, List<string> delivered, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var frame = await client.NextAsync(f => f.KindCase == ServerFrame.KindOneofCase.Deliver).WaitAsync(stop);
                lock (delivered)
                {
                    delivered.Add(Convert.ToHexString(frame.Deliver.MessageId.Span));
                }

                await client.AckAsync(frame.Deliver.MessageId);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test.
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Wait, "condition not met in time");
            await Task.Delay(50);
        }
    }

    private async Task<((string Username, string Token) Alice, (string Username, string Token) Bob)> ContactsAsync()
    {
        var alice = await cluster.SignUpAsync("alice");
        var bob = await cluster.SignUpAsync("bob");
        using (var http = ClusterFixture.Http(cluster.Front, alice.Token))
        using (var request = await http.PostAsJsonAsync("v1/contacts/requests", new ContactRequestBody { Username = bob.Username }).WaitAsync(Wait))
        {
            request.EnsureSuccessStatusCode();
        }

        using (var http = ClusterFixture.Http(cluster.Front, bob.Token))
        using (var accept = await http.PostAsync(new Uri($"v1/contacts/{alice.Username}/accept", UriKind.Relative), null).WaitAsync(Wait))
        {
            accept.EnsureSuccessStatusCode();
        }

        return (alice, bob);
    }

    private async Task<long> QueuedForAsync(string username)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync().WaitAsync(Wait);
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FROM relay_queue q JOIN accounts a ON a.id = q.recipient_id WHERE a.username = @u", connection);
        command.Parameters.AddWithValue("u", username);
        return (long)(await command.ExecuteScalarAsync().WaitAsync(Wait))!;
    }

    private static Task<RelayTestClient> ConnectAsync(Uri node, (string Username, string Token) user) =>
        ClusterFixture.ConnectAsync(node, user.Username, user.Token);

    /// <summary>Connects and acknowledges what was queued (contact events) up to QueueEmpty.</summary>
    private static async Task<RelayTestClient> ConnectDrainedAsync(Uri node, (string Username, string Token) user)
    {
        var client = await ConnectAsync(node, user);
        await client.NextAsync(ServerFrame.KindOneofCase.QueueEmpty);
        foreach (var frame in client.Skipped)
        {
            if (frame.KindCase == ServerFrame.KindOneofCase.ContactEvent)
            {
                await client.AckAsync(frame.ContactEvent.MessageId);
            }
        }

        client.Skipped.Clear();
        return client;
    }
}

/// <summary>
/// The cluster is expensive to start: one per test run, shared by the cluster scenario classes, and run
/// alone (after the parallel collections) so five server processes do not compete with the rest of the
/// suite for CI's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
