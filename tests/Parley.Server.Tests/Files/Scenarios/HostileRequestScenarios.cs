using System.Net;
using System.Net.Http.Headers;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Files.Scenarios.TusRequests;

namespace Parley.Server.Tests.Files.Scenarios;

/// <summary>Malformed and hostile tus requests get a 4xx problem and change nothing.</summary>
public sealed class HostileRequestScenarios : IDisposable
{
    private readonly ParleyServerFactory factory = new(DatabaseKind.Sqlite, null);

    public void Dispose() => factory.Dispose();

    public static TheoryData<string> BadLengths => ["-1", "+5", " 5", "5 ", "1e3", "0x10", "99999999999999999999", "", "5,6", "abc"];

    [Theory]
    [MemberData(nameof(BadLengths))]
    public async Task Malformed_upload_lengths_are_400(string value)
    {
        var (alice, _) = await FileTestAccounts.CreateAsync(factory, "h" + Guid.NewGuid().ToString("N")[..12]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.TryAddWithoutValidation("Upload-Length", value);
        using var response = await alice.SendAsync(request).WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Requests_that_break_the_protocol_are_refused_with_4xx()
    {
        var (alice, _) = await FileTestAccounts.CreateAsync(factory, "h" + Guid.NewGuid().ToString("N")[..12]);
        string location = await CreateAsync(alice, 100);

        using (var noVersion = Create(10))
        {
            noVersion.Headers.Remove("Tus-Resumable");
            await ExpectAsync(alice, noVersion, HttpStatusCode.PreconditionFailed);
        }

        using (var metadata = Create(10))
        {
            metadata.Headers.Add("Upload-Metadata", "filename c2VjcmV0LnR4dA==");
            await ExpectAsync(alice, metadata, HttpStatusCode.BadRequest);
        }

        using (var deferred = Create(10))
        {
            deferred.Headers.Add("Upload-Defer-Length", "1");
            await ExpectAsync(alice, deferred, HttpStatusCode.BadRequest);
        }

        using (var wrongType = Patch(location, 0, new byte[10]))
        {
            wrongType.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            await ExpectAsync(alice, wrongType, HttpStatusCode.UnsupportedMediaType);
        }

        using (var badOffset = Patch(location, 0, new byte[10]))
        {
            badOffset.Headers.Remove("Upload-Offset");
            badOffset.Headers.TryAddWithoutValidation("Upload-Offset", "-0");
            await ExpectAsync(alice, badOffset, HttpStatusCode.BadRequest);
        }

        foreach (string id in new[] { "..%2F..%2Fetc%2Fpasswd", "0123456789ABCDEF0123456789ABCDEF", "1", new string('a', 33) })
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/v1/files/" + id);
            await ExpectAsync(alice, get, HttpStatusCode.NotFound);
        }

        using var head = await alice.SendAsync(Head(location)).WaitAsync(Wait);
        Assert.Equal(0, Offset(head));
    }

    private static async Task ExpectAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await client.SendAsync(request).WaitAsync(Wait);
        Assert.Equal(expected, response.StatusCode);
    }
}
