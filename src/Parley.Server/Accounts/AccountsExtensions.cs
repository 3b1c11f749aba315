using Parley.Server.Authentication;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>Registration and routes of the accounts feature.</summary>
public static class AccountsExtensions
{
    /// <summary>Adds account storage, services and schema.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IMigrationSource, AccountMigrations>();
        return services;
    }

    /// <summary>Maps the account endpoints under <c>/v1</c>.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/auth/logout", async (HttpContext context, ISessionTokenStore sessions) =>
        {
            await sessions.RevokeAsync(context.GetSession().TokenHash, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });
        return endpoints;
    }
}
