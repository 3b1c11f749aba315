using System.Net;
using System.Text.Json;
using Parley.Wire.Rest;

namespace Parley.EndToEnd.Tests.Malicious;

/// <summary>
/// Issue 14 item 4, the client's half: when the server reports the one-time stock low or empty, the
/// client uploads a fresh batch of both kinds (X25519 and ML-KEM) by itself, and tells its user when a
/// kind had run out. The server's half (a fetch that leaves the stock low pushes <c>PreKeyStock</c>;
/// exhaustion falls back to the last-resort key) is Parley.Server.Tests' PreKeyStockTests. Here the
/// relay in front of the real server reports the stock as a drain would leave it.
/// </summary>
public sealed class PreKeyRefillScenarios
{
    private static Func<string, string, HttpStatusCode, byte[], byte[]?> ReportStock(int oneTime, int kem) => (method, path, status, body) =>
    {
        if (method != "GET" || path != "/v1/keys/count" || status != HttpStatusCode.OK)
        {
            return null;
        }
        var real = JsonSerializer.Deserialize<PreKeyCountResponse>(body, RestJson.Options)!;
        return JsonSerializer.SerializeToUtf8Bytes(real with { OneTimePreKeys = oneTime, KemPreKeys = kem }, RestJson.Options);
    };

    private static int Uploads(EvilWorld evil, string path) => evil.Relay.Requests.Count(r => r == "POST " + path);

    [Fact]
    public async Task An_exhausted_stock_is_refilled_with_both_kinds_and_the_user_is_told()
    {
        await using var evil = await EvilWorld.StartAsync();
        var bob = (await evil.UsersAsync("bob")).Single();
        var oneTimeBefore = Uploads(evil, "/v1/keys/one-time-prekeys");
        var kemBefore = Uploads(evil, "/v1/keys/kem-prekeys");

        evil.Relay.RewriteResponse = ReportStock(oneTime: 0, kem: 0);
        var events = await bob.ReceiveAsync();

        Assert.Contains(events, e => e.GetProperty("type").GetString() == "prekeys-exhausted");
        var oneTimeAfter = Uploads(evil, "/v1/keys/one-time-prekeys");
        Assert.True(oneTimeAfter > oneTimeBefore, "no one-time prekeys uploaded");
        Assert.True(Uploads(evil, "/v1/keys/kem-prekeys") > kemBefore, "no ML-KEM prekeys uploaded");

        // With the real (full) count reported again, nothing more is uploaded and nobody is warned.
        evil.Relay.RewriteResponse = null;
        var plain = await bob.RunAsync("receive", "--json");
        Assert.Equal(0, plain.ExitCode);
        Assert.DoesNotContain(plain.JsonLines, e => e.GetProperty("type").GetString() == "prekeys-exhausted");
        Assert.Equal(oneTimeAfter, Uploads(evil, "/v1/keys/one-time-prekeys"));
    }

    [Fact]
    public async Task A_low_but_not_empty_stock_is_refilled_quietly()
    {
        await using var evil = await EvilWorld.StartAsync();
        var bob = (await evil.UsersAsync("bob")).Single();
        var before = Uploads(evil, "/v1/keys/one-time-prekeys");

        evil.Relay.RewriteResponse = ReportStock(oneTime: 3, kem: 9);
        var events = await bob.ReceiveAsync();

        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "prekeys-exhausted");
        Assert.True(Uploads(evil, "/v1/keys/one-time-prekeys") > before, "no one-time prekeys uploaded");
    }
}
