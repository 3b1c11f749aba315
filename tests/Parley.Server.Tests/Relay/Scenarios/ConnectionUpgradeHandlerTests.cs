using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Relay;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Server.Tests.Relay.Support;

namespace Parley.Server.Tests.Relay.Scenarios;

/// <summary>
/// The connection-level upgrade on an in-memory connection: what it does not take reaches the HTTP
/// layer with every byte unconsumed; a silent connection is closed after Kestrel's keep-alive timeout;
/// a valid upgrade is answered 101 here and never reaches the HTTP layer.
/// </summary>
public sealed class ConnectionUpgradeHandlerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = RelayTestClient.Timeout;
    private readonly RelayHost _host = new(DatabaseKind.Sqlite, null);

    [Theory]
    [InlineData("GET /v1/keys/bob HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET /v1/ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n\r\n")]
    [InlineData("GET /v1/ws HTTP/1.1\r\nHost: h\r\nUpgrade: websoc")]
    public async Task What_it_does_not_take_reaches_the_http_layer_unconsumed(string request)
    {
        var connection = new Connection();
        var handed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Handler().Wrap(async c =>
        {
            var read = await c.Transport.Input.ReadAsync();
            handed.SetResult(Encoding.ASCII.GetString(read.Buffer.ToArray()));
            c.Transport.Input.AdvanceTo(read.Buffer.End);
        }, new KestrelServerLimits())(connection.Context);

        await connection.Client.Output.WriteAsync(Encoding.ASCII.GetBytes(request));
        Assert.Equal(request, await handed.Task.WaitAsync(Timeout));
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_connection_silent_for_the_keep_alive_timeout_is_closed_without_reaching_the_http_layer()
    {
        var connection = new Connection();
        var reached = false;
        await Handler().Wrap(_ =>
        {
            reached = true;
            return Task.CompletedTask;
        }, new KestrelServerLimits { KeepAliveTimeout = TimeSpan.FromMilliseconds(200) })(connection.Context).WaitAsync(Timeout);

        Assert.False(reached);
    }

    [Fact]
    public async Task A_valid_upgrade_is_answered_here_and_never_reaches_the_http_layer()
    {
        var user = await _host.CreateUserAsync("alice");
        var connection = new Connection();
        var reached = false;
        var run = Handler().Wrap(_ =>
        {
            reached = true;
            return Task.CompletedTask;
        }, new KestrelServerLimits())(connection.Context);

        await connection.Client.Output.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer " + user.Token + "\r\n\r\n"));
        var response = new StringBuilder();
        while (!response.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await connection.Client.Input.ReadAsync().AsTask().WaitAsync(Timeout);
            Assert.False(read.IsCompleted && read.Buffer.IsEmpty, "closed before answering");
            var text = Encoding.ASCII.GetString(read.Buffer.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var take = end < 0 ? text.Length : end + 4;
            response.Append(text[..take]);
            connection.Client.Input.AdvanceTo(read.Buffer.GetPosition(take));
        }

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", response.ToString(), StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", response.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _host.Services.GetRequiredService<RelayMetrics>().ConnectionLevelUpgrades);

        // The client goes away: the socket's session ends and the handler returns.
        await connection.Client.Output.CompleteAsync();
        await run.WaitAsync(Timeout);
        Assert.False(reached);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private RelayUpgradeHandler Handler() => _host.Services.GetRequiredService<RelayUpgradeHandler>();

    /// <summary>An in-memory connection: the server side as a ConnectionContext, the client side as pipes.</summary>
    private sealed class Connection
    {
        public Connection()
        {
            var toServer = new Pipe();
            var toClient = new Pipe();
            Client = new DuplexPipe(toClient.Reader, toServer.Writer);
            Context = new DefaultConnectionContext("test", new DuplexPipe(toServer.Reader, toClient.Writer), Client);
        }

        public DefaultConnectionContext Context { get; }

        public DuplexPipe Client { get; }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
