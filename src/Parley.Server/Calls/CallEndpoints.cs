using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Throttling;
using Parley.Wire.Rest;

namespace Parley.Server.Calls;

/// <summary>
/// Registration and routes of the call feature. The server takes no part in a call: signalling
/// travels end-to-end encrypted through the relay like any message, media goes through the TURN
/// relay; this feature only hands out that relay's credentials.
/// </summary>
public static class CallEndpoints
{
    /// <summary>Adds the options (validated at start) and the credential service.</summary>
    public static IServiceCollection AddCalls(this IServiceCollection services)
    {
        services.AddValidatedOptions<CallOptions>(CallOptions.SectionName);
        services.AddThrottling();
        services.AddSingleton<TurnCredentialService>();
        return services;
    }

    /// <summary>Maps <c>GET /v1/calls/turn</c> (token required).</summary>
    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(CallRoutes.TurnCredentials, async (HttpContext context, TurnCredentialService service) =>
        {
            var credentials = await service.IssueAsync(context.User.GetAccountId(), context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(credentials);
        }).RequireAuthorization();
        return endpoints;
    }
}
