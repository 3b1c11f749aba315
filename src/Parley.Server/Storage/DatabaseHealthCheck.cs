using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Parley.Server.Storage;

/// <summary>Readiness: the database opens a connection and answers <c>SELECT 1</c>.</summary>
public sealed class DatabaseHealthCheck(IDatabase database) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (System.Data.Common.DbException)
        {
            // No exception text: a connection error can name the host, user or file of the database.
            return HealthCheckResult.Unhealthy("database unavailable");
        }
    }
}
