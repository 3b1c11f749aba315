using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Parley.Client.Transfers;

/// <summary>
/// The client half of the server's tus 1.0 upload protocol (creation, HEAD, PATCH, termination) and
/// of the ranged download, over an <see cref="HttpClient"/> whose base address is the server and
/// which carries the account's bearer token (the SDK's pinned client).
/// </summary>
public sealed class TusClient
{
    /// <summary>Base path of the server's file endpoints.</summary>
    public const string BasePath = "v1/files";

    private const string TusVersion = "1.0.0";
    private readonly HttpClient _http;
    private readonly string? _bearerToken;

    /// <summary>Creates the client over <paramref name="http"/> (not disposed by this class).</summary>
    /// <param name="http">Bound to the server (base address, pinned TLS).</param>
    /// <param name="bearerToken">The session token sent with every request, or null when the client adds it.</param>
    public TusClient(HttpClient http, string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _bearerToken = bearerToken;
    }

    /// <summary>Creates an upload of <paramref name="length"/> bytes; returns the blob id.</summary>
    public async Task<string> CreateAsync(long length, CancellationToken cancellationToken)
    {
        using var request = Tus(HttpMethod.Post, BasePath);
        request.Headers.Add("Upload-Length", Format(length));
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        string? location = response.Headers.Location?.OriginalString;
        string id = location is null ? "" : location[(location.LastIndexOf('/') + 1)..];
        if (id.Length != FilePointer.BlobIdChars || !id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new TransferException(TransferError.ProtocolViolation);
        }

        return id;
    }

    /// <summary>Asks the server how many bytes of the upload it holds.</summary>
    public async Task<long> GetOffsetAsync(string id, CancellationToken cancellationToken)
    {
        using var request = Tus(HttpMethod.Head, Path(id));
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return ReadOffset(response);
    }

    /// <summary>Appends <paramref name="content"/> at <paramref name="offset"/>; returns the server's new offset.</summary>
    public async Task<long> PatchAsync(string id, long offset, HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var request = Tus(HttpMethod.Patch, Path(id));
        request.Headers.Add("Upload-Offset", Format(offset));
        // The body follows only once the server has accepted the offset, so a refused PATCH (offset
        // moved, upload busy after a dropped connection) costs one round trip, not a resent body.
        request.Headers.ExpectContinue = true;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        request.Content = content;
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return ReadOffset(response);
    }

    /// <summary>Deletes an upload (used to abandon one).</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        using var request = Tus(HttpMethod.Delete, Path(id));
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    /// <summary>
    /// Starts downloading the blob from byte <paramref name="from"/> (a Range request when not 0).
    /// Returns the response with its headers read; the caller reads and disposes the body.
    /// </summary>
    public async Task<HttpResponseMessage> OpenDownloadAsync(string id, long from, CancellationToken cancellationToken)
    {
        using var request = Authorize(new HttpRequestMessage(HttpMethod.Get, Path(id)));
        if (from > 0)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
        }

        HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Maps a failed response to a typed <see cref="TransferException"/>.</summary>
    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        int status = (int)response.StatusCode;
        TransferError error = response.StatusCode switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone => TransferError.NotFound,
            HttpStatusCode.RequestEntityTooLarge when await IsQuotaAsync(response, cancellationToken) => TransferError.QuotaExceeded,
            HttpStatusCode.RequestEntityTooLarge => TransferError.TooLarge,
            _ => TransferError.ServerRefused,
        };
        throw new TransferException(error, status);
    }

    private static async Task<bool> IsQuotaAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // The problem type distinguishes the quota from the size limit; problem bodies are small.
        if (response.Content.Headers.ContentLength is not (> 0 and < 4096))
        {
            return false;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Contains("quota-exceeded", StringComparison.Ordinal);
    }

    private static long ReadOffset(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Upload-Offset", out IEnumerable<string>? values)
            || values.SingleOrDefault() is not { Length: > 0 and <= 18 } text
            || !text.All(char.IsAsciiDigit))
        {
            throw new TransferException(TransferError.ProtocolViolation);
        }

        return long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private HttpRequestMessage Tus(HttpMethod method, string path)
    {
        var request = Authorize(new HttpRequestMessage(method, path));
        request.Headers.Add("Tus-Resumable", TusVersion);
        return request;
    }

    private HttpRequestMessage Authorize(HttpRequestMessage request)
    {
        if (_bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearerToken);
        }

        return request;
    }

    private static string Path(string id) => $"{BasePath}/{id}";

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
