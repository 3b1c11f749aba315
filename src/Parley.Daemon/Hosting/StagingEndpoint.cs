using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Parley.Client.Profiles;

namespace Parley.Daemon.Hosting;

/// <summary>
/// The web app's file staging routes (the secret as <c>Authorization: Bearer</c> on each):
/// <c>PUT /api/v1/staging?profile=P&amp;to=USER&amp;name=NAME&amp;modified=MS</c> copies a file the
/// user picked into <see cref="StagingArea"/> and answers <c>{"path": …}</c> for <c>files.send</c>;
/// <c>GET /api/v1/staging/TOKEN</c> hands over, once, a file <c>files.get</c> saved there, as an
/// attachment that the browser never renders.
/// </summary>
internal static class StagingEndpoint
{
    /// <summary>The route and its prefix.</summary>
    public const string Path = "/api/v1/staging";

    private const int CopyBufferBytes = 64 * 1024;

    public static async Task HandleAsync(HttpContext context, HttpGuard guard, StagingArea staging)
    {
        var request = context.Request;
        var response = context.Response;
        if (!guard.HasBearer(request))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var rest = request.Path.Value![Path.Length..];
        if (rest.Length == 0 && HttpMethods.IsPut(request.Method))
        {
            await UploadAsync(context, staging).ConfigureAwait(false);
        }
        else if (rest.StartsWith('/') && HttpMethods.IsGet(request.Method))
        {
            await DownloadAsync(context, staging, rest[1..]).ConfigureAwait(false);
        }
        else
        {
            response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private static async Task UploadAsync(HttpContext context, StagingArea staging)
    {
        var request = context.Request;
        var query = request.Query;
        if (request.ContentLength is not { } size)
        {
            await ProblemAsync(context, StatusCodes.Status411LengthRequired, "Send the file with a Content-Length.").ConfigureAwait(false);
            return;
        }

        if (size > StagingArea.MaxFileBytes)
        {
            await ProblemAsync(context, StatusCodes.Status413PayloadTooLarge, $"The file is larger than {StagingArea.MaxFileBytes} bytes.").ConfigureAwait(false);
            return;
        }

        if (!UserName.TryParse(query["to"].ToString(), out var to)
            || query["name"].ToString() is not { Length: > 0 and <= 1024 } name
            || !long.TryParse(query["modified"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var modified)
            || modified > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || (query["profile"].ToString() is { Length: > 0 } p && !UserName.TryParse(p, out _)))
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "The query needs to (a user name), name (the file name, 1 to 1024 characters) and modified (milliseconds since 1970); profile is optional.").ConfigureAwait(false);
            return;
        }

        var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = StagingArea.MaxFileBytes;
        }

        var path = staging.UploadPath(query["profile"].ToString(), to.Value, name, size, modified);
        FileModes.EnsurePrivateFile(path); // created 0600 before a byte is written
        long written = 0;
        await using (var file = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.Asynchronous))
        {
            var buffer = new byte[CopyBufferBytes];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                written += read;
                await file.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
            }
        }

        if (written != size)
        {
            StagingArea.Remove(path);
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "The body was shorter than its Content-Length.").ConfigureAwait(false);
            return;
        }

        // The same file, staged again, keeps the same path, size and time: its upload resumes.
        File.SetLastWriteTimeUtc(path, DateTimeOffset.FromUnixTimeMilliseconds(modified).UtcDateTime);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Api.StagedUpload { Path = path }, Api.ApiJsonContext.Default.StagedUpload, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task DownloadAsync(HttpContext context, StagingArea staging, string token)
    {
        var response = context.Response;
        if (staging.Download(token) is not { } file)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var name = System.IO.Path.GetFileName(file);
        response.ContentType = "application/octet-stream";
        response.ContentLength = new FileInfo(file).Length;
        response.Headers.ContentDisposition = "attachment; filename*=UTF-8''" + Uri.EscapeDataString(name);
        try
        {
            await response.SendFileAsync(file, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            StagingArea.Remove(file);
        }
    }

    private static async Task ProblemAsync(HttpContext context, int status, string sentence)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Api.StagingProblem { Error = sentence }, Api.ApiJsonContext.Default.StagingProblem, context.RequestAborted).ConfigureAwait(false);
    }
}
