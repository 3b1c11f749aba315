using System.Globalization;
using System.Net.Http.Headers;

namespace Parley.Server.Tests.Files.Scenarios;

/// <summary>Raw tus requests, written out so each test shows exactly what goes on the wire.</summary>
public static class TusRequests
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static HttpRequestMessage Create(long length)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        return request;
    }

    public static HttpRequestMessage Patch(string location, long offset, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return request;
    }

    public static HttpRequestMessage Head(string location)
    {
        var request = new HttpRequestMessage(HttpMethod.Head, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    public static async Task<string> CreateAsync(HttpClient client, long length)
    {
        using var response = await client.SendAsync(Create(length)).WaitAsync(Wait);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string location, long offset, byte[] body) =>
        await client.SendAsync(Patch(location, offset, body)).WaitAsync(Wait);

    public static long Offset(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
}
