using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using Parley.Wire.Rest;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Calls;

/// <summary>A private coturn and a Parley server configured with its secret, shared by <see cref="CoturnTests"/>.</summary>
public sealed class CoturnFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public CoturnServer Turn { get; private set; } = null!;

    public ParleyServerFactory Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Turn = await CoturnServer.StartAsync().WaitAsync(StartTimeout);
        Server = new ParleyServerFactory(DatabaseKind.Sqlite, null, new Dictionary<string, string?>
        {
            ["Calls:TurnUris:0"] = Turn.Uri,
            ["Calls:TurnSecret"] = Turn.Secret,
            ["Calls:CredentialLifetime"] = "00:10:00",
        });
    }

    public async Task DisposeAsync()
    {
        Server?.Dispose();
        if (Turn is not null)
        {
            await Turn.DisposeAsync();
        }
    }
}

/// <summary>
/// The credentials of <c>GET /v1/calls/turn</c> against the real relay (Debian's coturn with
/// <c>use-auth-secret</c>, on 127.0.0.1): one from the endpoint allocates a relay that carries data
/// both ways; an expired one and forged ones are refused with 401.
/// </summary>
public sealed class CoturnTests(CoturnFixture fixture) : IClassFixture<CoturnFixture>
{
    [Fact]
    public async Task A_credential_from_the_endpoint_allocates_a_loopback_relay_that_carries_data_both_ways()
    {
        var credentials = await FetchAsync();
        Assert.Equal([fixture.Turn.Uri], credentials.Uris);

        await using var turn = await TurnTcpClient.ConnectAsync(fixture.Turn.EndPoint);
        var allocated = await turn.AllocateAsync(credentials.Username, credentials.Password);
        Assert.True(allocated.Type == StunMessage.AllocateSuccess, $"Allocate refused with {allocated.Error}: {fixture.Turn.Output}");
        var relayed = StunMessage.ReadXorAddress(allocated.Get(StunMessage.XorRelayedAddress)!);
        Assert.Equal(IPAddress.Loopback, relayed.Address);

        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peerEndPoint = (IPEndPoint)peer.Client.LocalEndPoint!;
        var permission = await turn.CreatePermissionAsync(peerEndPoint);
        Assert.Equal(StunMessage.CreatePermissionSuccess, permission.Type);

        // Client → relay → peer: the peer sees the datagram come from the relayed address.
        await turn.SendAsync(peerEndPoint, "hello through the relay"u8.ToArray());
        using var timeout = new CancellationTokenSource(TurnTcpClient.Timeout);
        var received = await peer.ReceiveAsync(timeout.Token);
        Assert.Equal("hello through the relay"u8.ToArray(), received.Buffer);
        Assert.Equal(relayed, received.RemoteEndPoint);

        // Peer → relay → client, as a Data indication naming the peer.
        await peer.SendAsync("and back"u8.ToArray(), relayed, timeout.Token);
        var data = await turn.ReceiveDataAsync();
        Assert.Equal("and back"u8.ToArray(), data.Get(StunMessage.Data));
        Assert.Equal(peerEndPoint, StunMessage.ReadXorAddress(data.Get(StunMessage.XorPeerAddress)!));
    }

    [Fact]
    public async Task An_expired_credential_is_refused()
    {
        // Correctly signed with the real secret, but its expiry passed a minute ago.
        var username = TurnPasswords.Username(DateTimeOffset.UtcNow.AddMinutes(-1), "expiredOpaqueId0000000");
        await AssertRefusedAsync(username, TurnPasswords.For(fixture.Turn.Secret, username));
    }

    [Theory]
    [InlineData("signed-with-another-secret")]
    [InlineData("expiry-extended")]
    [InlineData("opaque-part-changed")]
    [InlineData("password-of-another-credential")]
    public async Task A_forged_credential_is_refused(string forgery)
    {
        var issued = await FetchAsync();
        var other = await FetchAsync();
        var (expiry, opaque) = (issued.Username.Split(':')[0], issued.Username.Split(':')[1]);
        var (username, password) = forgery switch
        {
            "signed-with-another-secret" => (issued.Username, TurnPasswords.For(Convert.ToBase64String(new byte[32]), issued.Username)),
            "expiry-extended" => ((long.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture) + 86_400) + ":" + opaque, issued.Password),
            "opaque-part-changed" => (expiry + ":" + other.Username.Split(':')[1], issued.Password),
            _ => (issued.Username, other.Password),
        };
        await AssertRefusedAsync(username, password);
    }

    private async Task AssertRefusedAsync(string username, string password)
    {
        await using var turn = await TurnTcpClient.ConnectAsync(fixture.Turn.EndPoint);
        var answer = await turn.AllocateAsync(username, password);
        Assert.Equal(StunMessage.AllocateError, answer.Type);
        Assert.Equal(401, answer.Error);
        Assert.Null(answer.Get(StunMessage.XorRelayedAddress));
    }

    private async Task<TurnCredentials> FetchAsync()
    {
        using var client = await SignedUpClientAsync(fixture.Server.CreateClient, NewUsername("caller"));
        var credentials = await client.GetFromJsonAsync<TurnCredentials>(CallRoutes.TurnCredentials, RestJson.Options).WaitAsync(RequestTimeout);
        return credentials!;
    }
}
