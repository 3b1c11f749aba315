using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Parley.Server.Authentication;
using Parley.Server.Hosting;

namespace Parley.Server.Files;

/// <summary>
/// HTTP surface of the file feature: the tus 1.0 core protocol with creation and termination under
/// <c>/v1/files</c>, plus <c>GET /v1/files/{id}</c> with Range support. Endpoints parse strictly and
/// delegate to <see cref="FileService"/>; every route but OPTIONS requires a ParleyToken.
/// </summary>
public static class FileEndpoints
{
    /// <summary>Base path of the feature.</summary>
    public const string BasePath = "/v1/files";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = app.MapGroup(BasePath);
        files.MapMethods("", [HttpMethods.Options], Options).AllowAnonymous();
        files.MapPost("", CreateAsync).RequireAuthorization();
        files.MapMethods("/{id}", [HttpMethods.Head], HeadAsync).RequireAuthorization();
        files.MapPatch("/{id}", PatchAsync).RequireAuthorization()
            .WithBodyLimit(app.ServiceProvider.GetRequiredService<IOptions<FilesOptions>>().Value.MaxBlobBytes);
        files.MapDelete("/{id}", DeleteAsync).RequireAuthorization();
        files.MapGet("/{id}", DownloadAsync).RequireAuthorization();
        return app;
    }

    private static IResult Options(HttpContext context, FileService service)
    {
        var headers = context.Response.Headers;
        headers[TusProtocol.ResumableHeader] = TusProtocol.Version;
        headers[TusProtocol.VersionHeader] = TusProtocol.Version;
        headers[TusProtocol.ExtensionHeader] = TusProtocol.Extensions;
        headers[TusProtocol.MaxSizeHeader] = TusProtocol.Format(service.Options.MaxBlobBytes);
        return Results.NoContent();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, FileService service)
    {
        var request = context.Request;
        RequireTus(request);
        if (request.Headers.ContainsKey(TusProtocol.DeferLengthHeader))
        {
            throw FileProblems.BadHeader("Upload-Defer-Length is not supported; declare Upload-Length");
        }

        if (request.Headers.ContainsKey(TusProtocol.MetadataHeader))
        {
            throw FileProblems.BadHeader("Upload-Metadata is refused: the server must not learn file names or types");
        }

        if (request.ContentLength is > 0)
        {
            throw FileProblems.BadHeader("Creation requests carry no body");
        }

        long length = ParseHeader(request, TusProtocol.LengthHeader);
        var created = await service.CreateAsync(Caller(context), length, context.RequestAborted);
        FileRecord record = created.Value ?? throw FileProblems.For(created.Error);
        WriteTusHeaders(context.Response, record);
        return Results.Created($"{BasePath}/{record.Id.Value}", null);
    }

    private static async Task<IResult> HeadAsync(HttpContext context, string id, FileService service)
    {
        RequireTus(context.Request);
        var status = await service.GetStatusAsync(Caller(context), ParseId(id), context.RequestAborted);
        FileRecord record = status.Value ?? throw FileProblems.For(status.Error);
        WriteTusHeaders(context.Response, record);
        return Results.Ok();
    }

    private static async Task<IResult> PatchAsync(HttpContext context, string id, FileService service)
    {
        var request = context.Request;
        RequireTus(request);
        if (!string.Equals(request.ContentType, TusProtocol.PatchContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw FileProblems.WrongContentType();
        }

        BlobId blob = ParseId(id);
        long offset = ParseHeader(request, TusProtocol.OffsetHeader);
        var status = await service.GetStatusAsync(Caller(context), blob, context.RequestAborted);
        if (status.Value is { } current && current.Offset == offset && request.ContentLength > current.Length - offset)
        {
            throw FileProblems.For(FileError.BodyTooLong);
        }

        LimitBody(context, status.Value);
        var appended = await service.AppendAsync(Caller(context), blob, offset, request.Body, context.RequestAborted);
        FileRecord record = appended.Value ?? throw FileProblems.For(appended.Error);
        WriteTusHeaders(context.Response, record);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string id, FileService service)
    {
        RequireTus(context.Request);
        FileError error = await service.DeleteAsync(Caller(context), ParseId(id), context.RequestAborted);
        if (error != FileError.None)
        {
            throw FileProblems.For(error);
        }

        context.Response.Headers[TusProtocol.ResumableHeader] = TusProtocol.Version;
        return Results.NoContent();
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, string id, FileService service)
    {
        var opened = await service.OpenDownloadAsync(ParseId(id), context.RequestAborted);
        Stream stream = opened.Value ?? throw FileProblems.For(opened.Error);
        context.Response.Headers.CacheControl = "no-store, private";
        return Results.Stream(stream, "application/octet-stream", enableRangeProcessing: true);
    }

    private static void LimitBody(HttpContext context, FileRecord? record)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (record is not null && feature is { IsReadOnly: false })
        {
            // Kestrel then refuses any byte past the declared length while streaming.
            feature.MaxRequestBodySize = Math.Max(1, record.Length - record.Offset);
        }
    }

    private static void WriteTusHeaders(HttpResponse response, FileRecord record)
    {
        var headers = response.Headers;
        headers[TusProtocol.ResumableHeader] = TusProtocol.Version;
        headers[TusProtocol.OffsetHeader] = TusProtocol.Format(record.Offset);
        headers[TusProtocol.LengthHeader] = TusProtocol.Format(record.Length);
        headers[TusProtocol.ExpiresHeader] = record.ExpiresAt.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        headers[HeaderNames.CacheControl] = "no-store";
    }

    private static void RequireTus(HttpRequest request)
    {
        if (request.Headers[TusProtocol.ResumableHeader] != TusProtocol.Version)
        {
            throw FileProblems.UnsupportedVersion();
        }
    }

    private static long ParseHeader(HttpRequest request, string name)
    {
        var values = request.Headers[name];
        if (values.Count != 1 || !TusProtocol.TryParseNonNegative(values[0], out long value))
        {
            throw FileProblems.BadHeader($"{name} must be one non-negative decimal integer");
        }

        return value;
    }

    private static BlobId ParseId(string id) =>
        BlobId.TryParse(id, out BlobId blob) ? blob : throw FileProblems.For(FileError.NotFound);

    private static string Caller(HttpContext context) => context.User.GetAccountId().ToString();
}
