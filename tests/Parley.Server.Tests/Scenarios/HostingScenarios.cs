using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Scenarios;

/// <summary>Health is anonymous; everything else without a token is 401 with a problem body.</summary>
public abstract class HostingScenarios : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ParleyServerFactory factory;

    protected HostingScenarios(DatabaseKind kind, string? connectionString) =>
        factory = new ParleyServerFactory(kind, connectionString);

    [Fact]
    public async Task Healthz_answers_without_a_token()
    {
        using var client = factory.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Readyz_checks_the_database_without_a_token()
    {
        using var client = factory.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/readyz", UriKind.Relative)).WaitAsync(Timeout));
    }

    [Fact]
    public async Task The_public_api_has_no_metrics_endpoint()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(Timeout);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        Assert.DoesNotContain("parley_", await response.Content.ReadAsStringAsync().WaitAsync(Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_without_a_token_are_401_problems()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(new Uri("/v1/auth/logout", UriKind.Relative), null).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>().WaitAsync(Timeout);
        Assert.Equal(401, problem?.Status);
    }

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class HostingScenariosSqlite() : HostingScenarios(DatabaseKind.Sqlite, null);

public sealed class HostingScenariosPostgres(PostgresDatabaseFixture fixture)
    : HostingScenarios(DatabaseKind.Postgres, fixture.ConnectionString), IClassFixture<PostgresDatabaseFixture>;
