using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Storage;

namespace Parley.EndToEnd.Tests.Files.Infrastructure;

/// <summary>
/// The real server (its whole pipeline, SQLite storage and local blob store) hosted in process on a
/// temporary data directory, with helpers that create real accounts and sessions in its stores and
/// return HttpClients carrying the session's bearer token.
/// </summary>
public sealed class InProcessServer : WebApplicationFactory<Program>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly int? port;

    /// <summary>Creates the server; with <paramref name="realSockets"/> it listens on a free loopback port (plain HTTP, Kestrel) so connections can really break.</summary>
    public InProcessServer(bool realSockets = false)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "parley-files-e2e-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(DataDirectory);
        if (realSockets)
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            UseKestrel();
        }
    }

    /// <summary>The server's data directory (database, blobs, certificate).</summary>
    public string DataDirectory { get; }

    /// <summary>The blob directory inside the data directory.</summary>
    public string BlobDirectory => Path.Combine(DataDirectory, "blobs");

    /// <summary>Creates an account and a session; returns a client authenticated as it.</summary>
    public async Task<HttpClient> CreateUserAsync(DelegatingHandler? fault = null)
    {
        HttpClient client = NewClient(fault);
        var database = Services.GetRequiredService<IDatabase>();
        AccountId account;
        await using (var connection = await database.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Wait))
        {
            await using var command = connection.CreateCommand(
                "INSERT INTO accounts (username, srp_salt, verifier, argon_salt, argon_memory_kib, argon_iterations, argon_parallelism, created_at) " +
                "VALUES (@u, @s, @s, @s, 1024, 1, 1, 0) RETURNING id")
                .With("u", "f" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))).With("s", new byte[] { 1 });
            account = new AccountId(Convert.ToInt64(await command.ExecuteScalarAsync().WaitAsync(Wait), System.Globalization.CultureInfo.InvariantCulture));
        }

        var (token, hash) = SessionToken.Create();
        var now = DateTimeOffset.UtcNow;
        await Services.GetRequiredService<ISessionTokenStore>().CreateAsync(hash, account, now, now.AddDays(1), CancellationToken.None).WaitAsync(Wait);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A second client with the same account as <paramref name="authenticated"/> (a restarted client).</summary>
    public HttpClient CreateClientLike(HttpClient authenticated, DelegatingHandler? fault = null)
    {
        ArgumentNullException.ThrowIfNull(authenticated);
        HttpClient client = NewClient(fault);
        client.DefaultRequestHeaders.Authorization = authenticated.DefaultRequestHeaders.Authorization;
        return client;
    }

    private HttpClient NewClient(DelegatingHandler? fault)
    {
        HttpClient client;
        if (port is null)
        {
            client = fault is null ? CreateClient() : CreateDefaultClient(fault);
        }
        else
        {
            StartServer();
            HttpMessageHandler handler = new SocketsHttpHandler();
            if (fault is not null)
            {
                fault.InnerHandler = handler;
                handler = fault;
            }

            client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        }

        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    /// <summary>The committed blob file of <paramref name="blobId"/> on the server's disk.</summary>
    public string BlobPath(string blobId) => Path.Combine(BlobDirectory, blobId[..2], blobId);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Parley:DataDirectory", DataDirectory);
        builder.UseSetting("Storage:Provider", "sqlite");
        if (port is not null)
        {
            builder.UseSetting("Parley:Http", "true");
            builder.UseSetting("urls", $"http://127.0.0.1:{port}");
            builder.UseSetting("Metrics:Urls", "none"); // not the default 9464: any other server on the machine would hold it (CI failed so)
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the host being torn down; /tmp is cleaned eventually.
            }
        }
    }
}
