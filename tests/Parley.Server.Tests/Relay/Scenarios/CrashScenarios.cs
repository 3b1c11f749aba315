using System.Collections.Concurrent;
using System.Net.WebSockets;
using Google.Protobuf;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Contacts;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Kind = Parley.Wire.ServerFrame.KindOneofCase;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary>
/// Durability: the built parley-server runs as a child process on its own data directory; it is
/// killed with SIGKILL in the middle of a flood, restarted, and every message it acknowledged is then
/// delivered exactly once.
/// </summary>
public abstract class CrashScenarios : IDisposable
{
    private const int FloodSize = 500_000; // never reached: the kill ends the flood
    private const int KillAfterAccepted = 2_000;
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Every_acknowledged_message_survives_kill_9_and_is_delivered_exactly_once()
    {
        var server = await ServerProcess.StartAsync(ServerArgs);
        var (alice, bob) = await SeedUsersAsync();
        var accepted = new ConcurrentDictionary<string, bool>();
        var enoughAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = new RelayTestClient(await ConnectAsync(server.Port, alice.Token), alice.Username);
        await a.NextAsync(Kind.QueueEmpty);
        var collecting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var result = (await a.NextAsync(Kind.SendResult)).SendResult;
                    Assert.Equal(SendStatus.Accepted, result.Status);
                    accepted[Convert.ToHexString(result.MessageId.Span)] = true;
                    if (accepted.Count >= KillAfterAccepted)
                    {
                        enoughAccepted.TrySetResult();
                    }
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                // The server died: the stream of results ends.
            }
        });
        var flooding = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < FloodSize; i++)
                {
                    await a.SendEnvelopeAsync(bob.Username, RelayTestClient.NewId(), BitConverter.GetBytes(i));
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException)
            {
                // The server died mid-send.
            }
        });

        await enoughAccepted.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await server.DisposeAsync(); // SIGKILL
        await flooding.WaitAsync(TimeSpan.FromSeconds(60));
        await collecting.WaitAsync(TimeSpan.FromSeconds(60));
        await a.DisposeAsync();
        var acknowledged = accepted.Keys.ToHashSet();
        Assert.True(acknowledged.Count >= KillAfterAccepted);
        Assert.True(acknowledged.Count < FloodSize, "the kill must land in the middle of the flood");

        await using var restarted = await ServerProcess.StartAsync(ServerArgs);
        await using var b = new RelayTestClient(await ConnectAsync(restarted.Port, bob.Token), bob.Username);
        await b.NextAsync(Kind.QueueEmpty);
        var delivered = b.Skipped.Where(f => f.KindCase == Kind.Deliver).Select(f => Convert.ToHexString(f.Deliver.MessageId.Span)).ToList();
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Empty(acknowledged.Except(delivered));
    }

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The database the server process uses, opened by the test to seed accounts.</summary>
    protected abstract IDatabase OpenDatabase(string dataDirectory);

    /// <summary>Storage arguments for the server process (none: SQLite in the data directory).</summary>
    protected abstract string[] StorageArgs { get; }

    // The flood is faster than a person types: lift the per-sender rate limit and the queue cap for this server.
    private string[] ServerArgs =>
        ["--data", _data.Path, "--Relay:SendRatePerSecond=1000000", "--Relay:SendBurst=1000000", "--Relay:QueueCapPerRecipient=1000000", .. StorageArgs];

    private async Task<(TestUser Alice, TestUser Bob)> SeedUsersAsync()
    {
        var database = OpenDatabase(_data.Path);
        var alice = await CreateAsync(database, "alice");
        var bob = await CreateAsync(database, "bob");
        await new SqlContactStore(database).ApplyAsync(
        [
            new ContactChange(alice.Id, bob.Id, bob.Username, ContactState.Accepted, null, 0),
            new ContactChange(bob.Id, alice.Id, alice.Username, ContactState.Accepted, null, 0),
        ], CancellationToken.None).WaitAsync(RelayTestClient.Timeout);
        return (alice, bob);
    }

    private static Task<TestUser> CreateAsync(IDatabase database, string username) => SeededAccounts.CreateAsync(database, username);

    private async Task<WebSocket> ConnectAsync(int port, string token)
    {
        // Pin the server's self-signed certificate from its data directory, as a client pins a fingerprint.
        using var expected = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
            Path.Combine(_data.Path, Parley.Server.Hosting.ServerCertificate.SelfSignedFileName), null);
        var pin = expected.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pin);
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{port}/v1/ws"), CancellationToken.None).WaitAsync(RelayTestClient.Timeout);
        return socket;
    }
}

public sealed class CrashScenariosSqlite : CrashScenarios
{
    protected override string[] StorageArgs => [];

    protected override IDatabase OpenDatabase(string dataDirectory) =>
        new Parley.Server.Storage.Sqlite.SqliteDatabase($"Data Source={Path.Combine(dataDirectory, StorageOptions.DefaultSqliteFileName)}");
}

public sealed class CrashScenariosPostgres(PostgresDatabaseFixture fixture) : CrashScenarios, IClassFixture<PostgresDatabaseFixture>
{
    protected override string[] StorageArgs => ["--Storage:Provider=postgres", "--Storage:ConnectionString=" + fixture.ConnectionString];

    protected override IDatabase OpenDatabase(string dataDirectory) => TestDatabases.Postgres(fixture);
}
