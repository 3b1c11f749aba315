using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Errors;
using Parley.Client.Transport;
using Parley.Wire.Rest;

namespace Parley.Client.Api;

/// <summary>
/// JSON over the pinned HTTPS transport, with the bearer token when logged in. Every non-success
/// answer becomes a typed <see cref="ParleyClientException"/> via <see cref="ProblemMapper"/>; the
/// server's problem text is never shown to users or put into exception messages.
/// </summary>
internal sealed class ServerApi
{
    /// <summary>The longest Retry-After the client repeats to the user (a larger value is shown as this).</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>The largest JSON answer the client reads.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    private readonly PinnedTransport _transport;

    public ServerApi(PinnedTransport transport, string? token)
    {
        _transport = transport;
        Token = token;
    }

    public string? Token { get; set; }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken)
    {
        using var request = Create(HttpMethod.Post, path, body);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = Create(method, path, body);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static HttpRequestMessage Create(HttpMethod method, string path, object? body) =>
        new(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body, TypeInfo(body.GetType())) };

    /// <summary>The generated contract of a REST body type; a type outside <see cref="RestJsonContext"/> is a bug, caught by a test.</summary>
    private static JsonTypeInfo TypeInfo(Type type) =>
        RestJsonContext.Default.GetTypeInfo(type) ?? throw new InvalidOperationException("A REST body type is missing from the generated JSON contract.");

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        HttpResponseMessage response;
        try
        {
            response = await _transport.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw _transport.Translate(e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var problem = await TryReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            throw new ParleyClientException(ProblemMapper.Map(response.StatusCode, problem)) { RetryAfter = RetryAfter(response) };
        }
    }

    /// <summary>The <c>Retry-After</c> delay in seconds (the form Parley's server sends), or null; capped to one day.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta && delta >= TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(delta.Ticks, MaxRetryAfter.Ticks)) : null;

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var limited = new MemoryStream();
                await CopyLimitedAsync(stream, limited, cancellationToken).ConfigureAwait(false);
                limited.Position = 0;
                return (T?)await JsonSerializer.DeserializeAsync(limited, TypeInfo(typeof(T)), cancellationToken).ConfigureAwait(false)
                    ?? throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
            }
        }
        catch (JsonException e)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation, e);
        }
    }

    private static async Task CopyLimitedAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (destination.Length + read > MaxResponseBytes)
            {
                throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ProblemBody?> TryReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            if (response.Content.Headers.ContentLength is > 64 * 1024)
            {
                return null;
            }

            return await response.Content.ReadFromJsonAsync(ProblemJsonContext.Default.ProblemBody, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException or IOException)
        {
            return null;
        }
    }
}
