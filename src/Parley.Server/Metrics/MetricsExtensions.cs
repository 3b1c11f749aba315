using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Parley.Server.Metrics;

/// <summary>Registration of the metrics, the request-counting middleware and <c>GET /metrics</c>.</summary>
public static class MetricsExtensions
{
    /// <summary>Adds <see cref="ParleyMetrics"/>.</summary>
    public static IServiceCollection AddParleyMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ParleyMetrics>();
        return services;
    }

    private const string RouteItemKey = "Parley.Metrics.Route";

    /// <summary>
    /// Counts every request by method, route pattern (not the raw path) and final status. Call first
    /// in the pipeline (outside the exception handler) and <see cref="UseRouteCapture"/> after routing.
    /// </summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.ApplicationServices.GetRequiredService<ParleyMetrics>();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                var route = context.Items[RouteItemKey] as string ?? "unmatched";
                metrics.Requests.WithLabels(context.Request.Method.Length <= 8 ? context.Request.Method : "OTHER", route,
                    context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            }
        });
    }

    /// <summary>Remembers the matched route pattern for <see cref="UseRequestMetrics"/>.</summary>
    public static IApplicationBuilder UseRouteCapture(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint() is RouteEndpoint endpoint)
        {
            context.Items[RouteItemKey] = endpoint.RoutePattern.RawText;
        }
        return next(context);
    });

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text format, anonymous).</summary>
    public static IEndpointRouteBuilder MapParleyMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", async (HttpContext context, ParleyMetrics metrics) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }).AllowAnonymous();
        return endpoints;
    }
}
