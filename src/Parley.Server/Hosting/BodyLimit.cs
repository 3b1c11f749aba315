using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Hosting;

/// <summary>Endpoint metadata: the largest request body this endpoint accepts, in bytes.</summary>
/// <param name="Bytes">The limit.</param>
public sealed record BodyLimitMetadata(long Bytes);

/// <summary>
/// Caps request bodies before anything parses them: a declared <c>Content-Length</c> over the limit
/// is refused at once with 413, and Kestrel enforces the same limit while streaming.
/// </summary>
public static class BodyLimit
{
    /// <summary>The limit for endpoints that do not declare one (enough for every account request).</summary>
    public const long DefaultBytes = 16 * 1024;

    /// <summary>Sets this endpoint's request body limit.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        builder.WithMetadata(new BodyLimitMetadata(bytes));
        return builder;
    }

    /// <summary>Adds the middleware; call after <c>UseRouting</c> so the endpoint is known.</summary>
    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimitMetadata>()?.Bytes ?? DefaultBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "too-large", "Request body too large");
        }
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }
        await next(context).ConfigureAwait(false);
    });
}
