using System.Security.Cryptography;
using System.Text;
using Parley.Client;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.Client.Transport;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>
/// The client and the real server agree on TURN credentials (PROTOCOL.md 10B.1): a registered client
/// gets credentials that pass its own checks and are the HMAC coturn would compute from the shared
/// secret; a server without a relay answers with the typed "calls not configured" error.
/// </summary>
public sealed class CallCredentialTests
{
    private const string Secret = "e2e-turn-secret-0123456789abcdefghijklmnop";
    private const string Uri = "turn:127.0.0.1:3478?transport=udp";

    [Fact]
    public async Task A_registered_client_gets_credentials_signed_with_the_relays_secret()
    {
        await using var world = await World.StartAsync("--Calls:TurnUris:0=" + Uri, "--Calls:TurnSecret=" + Secret);
        await using var client = await RegisterAsync(world, "caller");

        var credentials = await client.Calls.GetTurnCredentialsAsync(CancellationToken.None).WaitAsync(TestTimeouts.Command);

        Assert.Equal([Uri], credentials.Uris);
        Assert.DoesNotContain("caller", credentials.Username, StringComparison.Ordinal);
#pragma warning disable CA5350 // coturn's scheme is HMAC-SHA1.
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(credentials.Username)));
#pragma warning restore CA5350
        Assert.Equal(expected, credentials.Password);
        Assert.InRange(credentials.ExpiresAtMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 11 * 3_600_000L, 12 * 3_600_000L);
    }

    [Fact]
    public async Task A_server_without_a_relay_gives_the_calls_not_configured_error()
    {
        await using var world = await World.StartAsync();
        await using var client = await RegisterAsync(world, "lonely");

        var error = await Assert.ThrowsAsync<ParleyClientException>(() => client.Calls.GetTurnCredentialsAsync(CancellationToken.None).WaitAsync(TestTimeouts.Command));
        Assert.Equal(ClientErrorKind.CallsNotConfigured, error.Kind);
    }

    private static async Task<ParleyClient> RegisterAsync(World world, string name)
    {
        Assert.True(ServerFingerprint.TryParse(world.Server.Fingerprint, out var pin));
        var options = new ClientOptions { KeyCache = new UnlockedKeyCache(Path.Combine(world.Root, "runtime-" + name)) };
        return await ParleyClient.RegisterAsync(new ParleyHome(Path.Combine(world.Root, "home-" + name)), UserName.Parse(name), new System.Uri(world.Server.Url),
            "ribbon-saxophone-" + name + "-tundra-74", new ServerTrustPolicy(pin, null), options, CancellationToken.None).WaitAsync(TestTimeouts.Command);
    }
}
