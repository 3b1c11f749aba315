using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Storage;
using Parley.Server.Storage.Sqlite;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;
using Parley.Wire;
using Parley.Wire.Rest;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary>The real server process (TLS in process) with one data directory for the class.</summary>
public sealed class ConnectionUpgradeServer : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync("--data", _data.Path,
        "--Relay:KeepAliveInterval=00:00:01", "--Relay:IdleTimeout=00:00:02",
        "--Relay:AllowedOrigins:0=https://app.example");

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }

    public string DataPath => _data.Path;
}

/// <summary>
/// Relay sockets accepted at the connection level (RelayUpgradeHandler), through the real process and
/// TLS: they relay, are replaced, revoked and timed out as before; what the fast path does not take
/// (a bad token, a foreign Origin) is refused by the pipeline exactly as before.
/// </summary>
public sealed class ConnectionUpgradeScenarios(ConnectionUpgradeServer fixture) : IClassFixture<ConnectionUpgradeServer>
{
    private static readonly TimeSpan Timeout = RelayTestClient.Timeout;
    private readonly ServerProcess _server = fixture.Server;

    [Fact]
    public async Task Sockets_taken_at_the_connection_level_relay_both_ways()
    {
        var before = await ConnectionLevelUpgradesAsync();
        var alice = await SeedUserAsync("alice");
        var bob = await SeedUserAsync("bob");
        await MakeContactsAsync(alice, bob);
        await using var aliceSocket = await ConnectAsync(alice);
        await using var bobSocket = await ConnectAsync(bob);
        await bobSocket.NextAsync(ServerFrame.KindOneofCase.QueueEmpty);
        Assert.Equal(before + 2, await ConnectionLevelUpgradesAsync());

        var id = RelayTestClient.NewId();
        await aliceSocket.SendEnvelopeAsync(bob.Username, id, "ciphertext"u8.ToArray());
        var deliver = (await bobSocket.NextAsync(ServerFrame.KindOneofCase.Deliver)).Deliver;
        Assert.Equal(alice.Username, deliver.Sender);
        Assert.Equal("ciphertext"u8.ToArray(), deliver.Ciphertext.ToByteArray());
        await bobSocket.AckAsync(deliver.MessageId);
        Assert.Equal(SendStatus.Accepted, (await aliceSocket.ResultAsync(id)).Status);
    }

    [Fact]
    public async Task A_second_socket_of_the_account_replaces_the_first()
    {
        var alice = await SeedUserAsync("alice");
        await using var first = await ConnectAsync(alice);
        await first.NextAsync(ServerFrame.KindOneofCase.QueueEmpty);
        await using var second = await ConnectAsync(alice);
        await second.NextAsync(ServerFrame.KindOneofCase.QueueEmpty);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.Closed.WaitAsync(Timeout));
        Assert.Equal("replaced", first.Socket.CloseStatusDescription);
        await second.SyncAsync();
    }

    [Fact]
    public async Task Logging_out_closes_the_socket()
    {
        var alice = await SeedUserAsync("alice");
        await using var socket = await ConnectAsync(alice);
        await socket.NextAsync(ServerFrame.KindOneofCase.QueueEmpty);

        using var http = Http(alice);
        using var logout = await http.PostAsync(new Uri("/v1/auth/logout", UriKind.Relative), null).WaitAsync(Timeout);
        logout.EnsureSuccessStatusCode();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.Closed.WaitAsync(Timeout));
    }

    [Theory]
    [InlineData("not-a-session-token", null, 401)]
    [InlineData(null, "https://evil.example", 403)]
    public async Task What_the_fast_path_does_not_take_is_refused_by_the_pipeline_as_before(string? token, string? origin, int status)
    {
        var before = await ConnectionLevelUpgradesAsync();
        var user = await SeedUserAsync("carol");
        using var socket = NewSocket(token ?? user.Token);
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(SocketUri, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(status, (int)socket.HttpStatusCode);
        Assert.Equal(before, await ConnectionLevelUpgradesAsync());
    }

    [Fact]
    public async Task A_listed_origin_is_taken_at_the_connection_level()
    {
        var before = await ConnectionLevelUpgradesAsync();
        var user = await SeedUserAsync("dave");
        using var socket = NewSocket(user.Token);
        socket.Options.SetRequestHeader("Origin", "https://app.example");
        await socket.ConnectAsync(SocketUri, CancellationToken.None).WaitAsync(Timeout);
        await using var client = new RelayTestClient(socket, user.Username);
        await client.NextAsync(ServerFrame.KindOneofCase.QueueEmpty);
        Assert.Equal(before + 1, await ConnectionLevelUpgradesAsync());
    }

    [Fact]
    public async Task A_peer_that_never_answers_the_keep_alive_ping_is_dropped()
    {
        // A hand-written handshake (the RFC 6455 example key), then silence: no pong, no frames.
        var user = await SeedUserAsync("erin");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.Port).WaitAsync(Timeout);
        await using var tls = await OpenTlsAsync(tcp);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + user.Token + "\r\n\r\n")).AsTask().WaitAsync(Timeout);

        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            int read;
            while ((read = await tls.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // An abort arrives as a reset: the socket was dropped, which is the point.
        }

        Assert.False(deadline.IsCancellationRequested, "the server kept a peer that never answered its pings");
        var text = Encoding.ASCII.GetString(received.ToArray());
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", text, StringComparison.Ordinal);
    }

    private Uri SocketUri => new($"wss://127.0.0.1:{_server.Port}/v1/ws");

    private byte[] Pin()
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
            Path.Combine(fixture.DataPath, ServerCertificate.SelfSignedFileName), null);
        return certificate.GetCertHash(HashAlgorithmName.SHA256);
    }

    private bool Pinned(System.Security.Cryptography.X509Certificates.X509Certificate? certificate) =>
        certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(Pin());

    private ClientWebSocket NewSocket(string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => Pinned(certificate);
        return socket;
    }

    private async Task<RelayTestClient> ConnectAsync(TestUser user)
    {
        var socket = NewSocket(user.Token);
        await socket.ConnectAsync(SocketUri, CancellationToken.None).WaitAsync(Timeout);
        return new RelayTestClient(socket, user.Username);
    }

    private async Task<SslStream> OpenTlsAsync(TcpClient tcp)
    {
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) => Pinned(certificate));
        await tls.AuthenticateAsClientAsync("127.0.0.1").WaitAsync(Timeout);
        return tls;
    }

    private HttpClient Http(TestUser user)
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => Pinned(certificate) };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_server.Port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return http;
    }

    private async Task MakeContactsAsync(TestUser a, TestUser b)
    {
        using var httpA = Http(a);
        using var request = await httpA.PostAsJsonAsync(new Uri("/v1/contacts/requests", UriKind.Relative),
            new ContactRequestBody { Username = b.Username, Note = "hi" }).WaitAsync(Timeout);
        request.EnsureSuccessStatusCode();
        using var httpB = Http(b);
        using var accept = await httpB.PostAsync(new Uri($"/v1/contacts/{a.Username}/accept", UriKind.Relative), null).WaitAsync(Timeout);
        accept.EnsureSuccessStatusCode();
    }

    private async Task<long> ConnectionLevelUpgradesAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_server.MetricsPort}/metrics")).WaitAsync(Timeout);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("parley_relay_connection_level_upgrades_total ", StringComparison.Ordinal))
            {
                return (long)double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("metric missing");
    }

    private async Task<TestUser> SeedUserAsync(string name)
    {
        var username = name + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return await SeededAccounts.CreateAsync(new SqliteDatabase($"Data Source={Path.Combine(fixture.DataPath, StorageOptions.DefaultSqliteFileName)}"), username);
    }
}
