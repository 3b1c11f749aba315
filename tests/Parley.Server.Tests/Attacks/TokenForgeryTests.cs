using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.AuthFlows;

namespace Parley.Server.Tests.Attacks;

/// <summary>
/// attacks.md row 14 (P0), token forgery (alg=none, HS/RS confusion, changed claims): Parley's tokens
/// are 256-bit random values looked up by hash, so there is no algorithm to confuse; the test makes
/// sure nothing JWT-shaped or derived from a real token is accepted. Over raw HTTP: JWTs with alg
/// none/None/NONE and an empty signature, HS256 JWTs, the real token with a changed character, with
/// a suffix, truncated, in another case, and the token's hash are all 401 on REST and on the
/// WebSocket upgrade (no 101), while the real token works.
/// </summary>
public sealed class TokenForgeryTests : IDisposable
{
    private readonly ParleyServerFactory factory = new(DatabaseKind.Sqlite, null);

    [Fact]
    public async Task Forged_and_derived_tokens_are_401_on_rest_and_on_the_websocket_upgrade()
    {
        var name = NewUsername("eve");
        using var client = factory.CreateClient();
        (await RegisterAsync(client, name, "correct horse battery staple")).Dispose();
        var token = await LoginAsync(client, name, "correct horse battery staple");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/v1/account", token));

        foreach (var forged in Forgeries(token, name))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "/v1/account", forged));
            Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatusAsync(client, forged));
        }
    }

    private static IEnumerable<string> Forgeries(string token, string username)
    {
        var claims = $$"""{"sub":"{{username}}","name":"{{username}}","exp":4102444800}""";
        foreach (var alg in (string[])["none", "None", "NONE", "nOnE"])
        {
            yield return Jwt($$"""{"alg":"{{alg}}","typ":"JWT"}""", claims, "");
        }

        var hs = Jwt("""{"alg":"HS256","typ":"JWT"}""", claims, null);
        yield return hs;
        yield return Jwt("""{"alg":"HS256","kid":"../../dev/null"}""", claims, null);
        var flipped = token.ToCharArray();
        flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
        yield return new string(flipped);
        yield return token + "A";
        yield return token[..^1];
        yield return string.Equals(token.ToUpperInvariant(), token, StringComparison.Ordinal) ? token.ToLowerInvariant() : token.ToUpperInvariant();
        yield return Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
    }

    private static string Jwt(string header, string payload, string? signature)
    {
        var signingInput = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payload));
        return signingInput + "." + (signature ?? B64(HMACSHA256.HashData(new byte[32], Encoding.ASCII.GetBytes(signingInput))));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request).WaitAsync(RequestTimeout);
        return response.StatusCode;
    }

    /// <summary>A WebSocket upgrade request as a browser or ClientWebSocket sends it.</summary>
    private static async Task<HttpStatusCode> UpgradeStatusAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/ws");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        using var response = await client.SendAsync(request).WaitAsync(RequestTimeout);
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, response.StatusCode);
        return response.StatusCode;
    }

    public void Dispose() => factory.Dispose();
}
