using System.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Parley.Server.Hosting;

/// <summary>
/// Health checks through ASP.NET Core's health-check framework, anonymous on the public addresses:
/// <c>GET /healthz</c> (liveness: the process serves requests; runs no check) and <c>GET /readyz</c>
/// (readiness: every check tagged <see cref="ReadinessTag"/>, e.g. the database). Both answer
/// <c>ok</c> with 200, or 503 with the names of the failing checks — never exception text.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of checks that decide readiness.</summary>
    public const string ReadinessTag = "ready";

    /// <summary>The liveness path.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>The readiness path.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadinessTag), ResponseWriter = WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = report.Status == HealthStatus.Healthy
            ? "ok"
            : "unavailable: " + string.Join(", ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key));
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();
    }
}
