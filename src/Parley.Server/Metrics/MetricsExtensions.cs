using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Prometheus;

namespace Parley.Server.Metrics;

/// <summary>
/// Registration of the metrics, the HTTP request metrics (prometheus-net.AspNetCore: counts,
/// durations and requests in progress by method, status and route pattern — never the raw path,
/// which can carry a username) and <c>GET /metrics</c> on the metrics listener only.
/// </summary>
public static class MetricsExtensions
{
    /// <summary>Adds <see cref="ParleyMetrics"/> and the validated <see cref="MetricsOptions"/>.</summary>
    public static IServiceCollection AddParleyMetrics(this IServiceCollection services)
    {
        services.AddValidatedOptions<MetricsOptions>(MetricsOptions.SectionName);
        services.AddSingleton<ParleyMetrics>();
        return services;
    }

    /// <summary>
    /// Answers every request that arrived on the metrics listener: <c>GET /metrics</c> (with the bearer
    /// token when one is configured), 404 for anything else. Requests on the public addresses pass
    /// through, and nothing there maps <c>/metrics</c>. Call first in the pipeline.
    /// </summary>
    public static IApplicationBuilder UseMetricsListener(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.ApplicationServices.GetRequiredService<ParleyMetrics>().Registry;
        var token = app.ApplicationServices.GetRequiredService<IOptions<MetricsOptions>>().Value.BearerToken;
        var expected = token is { Length: > 0 } ? Encoding.UTF8.GetBytes("Bearer " + token) : null;
        return app.MapWhen(Listeners.IsMetricsConnection, branch =>
        {
            if (expected is not null)
            {
                branch.Use((context, next) =>
                {
                    var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                    if (CryptographicOperations.FixedTimeEquals(presented, expected))
                    {
                        return next(context);
                    }
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    return Task.CompletedTask;
                });
            }
            branch.UseMetricServer(settings => settings.Registry = registry, "/metrics");
            branch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }

    /// <summary>Measures requests on the public addresses; call after <c>UseRouting</c> (labels are route patterns).</summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var factory = app.ApplicationServices.GetRequiredService<ParleyMetrics>().Factory;
        return app.UseHttpMetrics(options => options.SetMetricFactory(factory));
    }
}
