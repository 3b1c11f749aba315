using System.Net;
using System.Net.Http.Json;
using Parley.Wire.Rest;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>Every endpoint that requires a token, with a plausible request for each.</summary>
public static class AuthenticatedEndpoints
{
    /// <summary>Method, path and body (null for none).</summary>
    public static IReadOnlyList<(HttpMethod Method, string Path, object? Body)> All { get; } =
    [
        (HttpMethod.Get, "/v1/account", null),
        (HttpMethod.Post, "/v1/auth/logout", null),
        (HttpMethod.Post, "/v1/account/password", new PasswordChangeRequest("x", "AA==", "AA==", "AA==", "AA==", "AA==", new(1024, 1, 1))),
        (HttpMethod.Post, "/v1/account/delete", new AccountDeleteRequest("x", "AA==", "AA==")),
        (HttpMethod.Get, "/v1/keys/someone", null),
        (HttpMethod.Get, "/v1/keys/count", null),
        (HttpMethod.Put, "/v1/keys/identity", new { }),
        (HttpMethod.Put, "/v1/keys/signed-prekey", new { }),
        (HttpMethod.Post, "/v1/keys/one-time-prekeys", new { }),
        (HttpMethod.Post, "/v1/keys/kem-prekeys", new { }),
        (HttpMethod.Put, "/v1/keys/cipher-suites", new { }),
        (HttpMethod.Get, "/v1/calls/turn", null),
        (HttpMethod.Get, "/v1/ws", null),
    ];

    /// <summary>Asserts every authenticated endpoint answers 401 with a problem body to this client.</summary>
    public static async Task AssertAllRefuseAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var (method, path, body) in All)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: RestJson.Options);
            }
            using var response = await client.SendAsync(request).WaitAsync(AuthFlows.RequestTimeout);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
