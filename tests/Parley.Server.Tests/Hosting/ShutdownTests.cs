using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Storage;
using Parley.Server.Storage.Sqlite;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// Ctrl-C with a client connected (issue: the server waited out Kestrel's 30-second shutdown timeout
/// for the open WebSocket): the real server process gets SIGINT while a real WebSocket client is
/// connected; the client receives 1001 "server shutting down" at once and the process exits cleanly.
/// </summary>
public sealed class ShutdownTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The host's shutdown timeout in this test: far longer than any wait below, so a server that
    /// waited for its open socket (the bug) cannot pass, however slow the machine is.
    /// </summary>
    private const int ShutdownTimeoutSeconds = 600;

    /// <summary>Seconds on a quiet machine; a bound with room for a loaded one (CI once took over 15 s), far under the timeout above.</summary>
    private static readonly TimeSpan PromptExit = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Ctrl_C_closes_connected_sockets_at_once_and_exits()
    {
        await using var server = await ServerProcess.StartAsync("--data", _data.Path, "--shutdownTimeoutSeconds=" + ShutdownTimeoutSeconds);
        var token = await SeedSessionAsync("shutdown_user");
        using var socket = await ConnectAsync(server.Port, token);
        // The first frame (queue drained) proves the server registered the connection.
        var buffer = new byte[64 * 1024];
        var first = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketMessageType.Binary, first.MessageType);

        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", [InterruptSignal(), server.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().WaitAsync(Timeout);
        }
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(PromptExit);
        }
        while (received.MessageType != WebSocketMessageType.Close);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        Assert.Equal(Parley.Server.Relay.RelayShutdown.Reason, socket.CloseStatusDescription);

        var exit = await server.WaitForExitAsync(PromptExit);
        Assert.Equal(0, exit);
        Assert.True(clock.Elapsed < PromptExit, clock.Elapsed.ToString());
    }

    public void Dispose() => _data.Dispose();

    /// <summary>
    /// Ctrl-C (SIGINT) — unless this process was started with SIGINT ignored (a test run launched in
    /// the background by a shell without job control: <c>cmd &amp;</c>, <c>nohup</c>). The server then
    /// inherits the ignored disposition and, like every Unix program started that way, cannot get a
    /// Ctrl-C at all; SIGTERM takes the same shutdown path (ApplicationStopping), so the test still
    /// checks what it is about instead of failing on how it was launched.
    /// </summary>
    private static string InterruptSignal()
    {
        const int SigInt = 2;
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ignored is null ? 0UL : Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << (SigInt - 1))) != 0 ? "-TERM" : "-INT";
    }

    private async Task<string> SeedSessionAsync(string username) =>
        (await Relay.Support.SeededAccounts.CreateAsync(new SqliteDatabase($"Data Source={Path.Combine(_data.Path, StorageOptions.DefaultSqliteFileName)}"), username)).Token;

    private async Task<ClientWebSocket> ConnectAsync(int port, string token)
    {
        using var expected = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
            Path.Combine(_data.Path, ServerCertificate.SelfSignedFileName), null);
        var pin = expected.GetCertHash(HashAlgorithmName.SHA256);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pin);
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{port}/v1/ws"), CancellationToken.None).WaitAsync(Timeout);
        return socket;
    }
}
