using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;

namespace Parley.Server.Tests.Cluster.Support;

/// <summary>
/// A whole cluster on 127.0.0.1, every component real and private to the test class: one PostgreSQL
/// database, redis-server, s3rver, three <c>parley-server</c> processes sharing them (same server
/// secret, separate data directories) and nginx in front. Nodes can be killed (SIGKILL) and restarted
/// on their port; Redis can be stopped and started again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Nodes in the cluster.</summary>
    public const int NodeCount = 3;

    /// <summary>Sweep period the nodes run with (the bound on delivery after a lost doorbell).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory directory = new();
    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);
    private readonly ServerProcess?[] nodes = new ServerProcess?[NodeCount];
    private readonly int[] ports = Enumerable.Range(0, NodeCount).Select(_ => FreePort.Next()).ToArray();
    private string connectionString = "";
    private S3Server? s3;

    /// <summary>The Redis server (stop/start it for outages).</summary>
    public RedisServer Redis { get; private set; } = null!;

    /// <summary>nginx in front of the nodes.</summary>
    public NginxServer Nginx { get; private set; } = null!;

    /// <summary>The PostgreSQL connection string every node uses.</summary>
    public string ConnectionString => connectionString;

    /// <summary>Base address of node <paramref name="index"/>.</summary>
    public Uri Node(int index) => new($"http://127.0.0.1:{ports[index]}/");

    /// <summary>Base address of nginx.</summary>
    public Uri Front => new($"http://127.0.0.1:{Nginx.Port}/");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var postgres = await PostgresServer.GetAsync().WaitAsync(StartTimeout);
        connectionString = await postgres.CreateDatabaseAsync().WaitAsync(StartTimeout);
        Redis = await RedisServer.StartAsync().WaitAsync(StartTimeout);
        s3 = await S3Server.StartAsync().WaitAsync(StartTimeout);
        for (var i = 0; i < NodeCount; i++)
        {
            await StartNodeAsync(i); // one at a time: the first migrates the schema, and CI has two cores
        }
        Nginx = await NginxServer.StartAsync(ports).WaitAsync(StartTimeout);
    }

    /// <summary>Starts (or restarts) node <paramref name="index"/> on its port.</summary>
    public async Task StartNodeAsync(int index)
    {
        var data = Path.Combine(directory.Path, "node" + index.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var secretPath = Path.Combine(data, Parley.Server.Hosting.ServerSecret.FileName);
        if (!File.Exists(secretPath))
        {
            await using var file = new FileStream(secretPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            await file.WriteAsync(secret);
        }

        var s3Options = s3!.Options();
        string[] args =
        [
            "--http", "--data", data,
            "--Storage:Provider", "postgres", "--Storage:ConnectionString", connectionString,
            "--Cluster:Redis", Redis.Endpoint, "--Cluster:SweepInterval", SweepInterval.ToString("c", CultureInfo.InvariantCulture),
            "--Parley:Files:S3:ServiceUrl", s3Options.ServiceUrl, "--Parley:Files:S3:Bucket", s3Options.Bucket,
            "--Parley:Files:S3:AccessKey", s3Options.AccessKey, "--Parley:Files:S3:SecretKey", s3Options.SecretKey,
            "--Parley:Files:S3:KeyPrefix", "cluster/",
            .. TestSettings.Fast.SelectMany(kv => new[] { "--" + kv.Key, kv.Value! }),
            "--Accounts:AuthRequestsPerAddressPerMinute", "100000", "--Accounts:RegistrationsPerMinuteThreshold", "100000",
            "--Logging:LogLevel:Default", "Warning",
        ];
        nodes[index] = await ServerProcess.StartOnPortAsync("http", ports[index], StartTimeout, args);
    }

    /// <summary>Kills node <paramref name="index"/> with SIGKILL, as a crash would.</summary>
    public async Task KillNodeAsync(int index)
    {
        if (nodes[index] is { } node)
        {
            await node.DisposeAsync();
            nodes[index] = null;
        }
    }

    /// <summary>Registers and logs in a user through nginx (real SRP, proof of work); returns its name and token.</summary>
    public async Task<(string Username, string Token)> SignUpAsync(string prefix)
    {
        var username = AuthFlows.NewUsername(prefix);
        using var http = await AuthFlows.SignedUpClientAsync(() => new HttpClient { BaseAddress = Front }, username);
        return (username, http.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    /// <summary>An HTTP client for <paramref name="baseAddress"/> carrying <paramref name="token"/>.</summary>
    public static HttpClient Http(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Opens a relay socket at <paramref name="baseAddress"/> (a node or nginx).</summary>
    public static async Task<RelayTestClient> ConnectAsync(Uri baseAddress, string username, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var uri = new UriBuilder(new Uri(baseAddress, "v1/ws")) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(RelayTestClient.Timeout);
        return new RelayTestClient(socket, username);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        for (var i = 0; i < NodeCount; i++)
        {
            await KillNodeAsync(i);
        }

        if (s3 is not null)
        {
            await s3.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        directory.Dispose();
    }
}
