using Parley.Server.Storage;

namespace Parley.Server.Hosting;

/// <summary><c>GET /healthz</c>: 200 "ok" when the database answers, 503 otherwise. Anonymous.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the health check.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (IDatabase database, CancellationToken cancellationToken) =>
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = connection.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return Results.Text("ok");
            }
            catch (System.Data.Common.DbException)
            {
                return Results.Text("database unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous();
        return endpoints;
    }
}
