using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Parley.Server.Accounts;

namespace Parley.Server.Authentication;

/// <summary>Registration of the token scheme, and helpers endpoints use to learn who is calling.</summary>
public static class AuthenticationExtensions
{
    /// <summary>
    /// Adds the <c>ParleyToken</c> scheme as the default and makes authentication the fallback policy:
    /// an endpoint is open only when it says <c>AllowAnonymous()</c>.
    /// </summary>
    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<ISessionTokenStore, SqlSessionTokenStore>();
        services.AddSingleton<SessionRevocations>();
        services.AddAuthentication(ParleyTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ParleyTokenHandler>(ParleyTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ParleyTokenHandler.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>The authenticated caller's account id; throws when the endpoint was not authenticated.</summary>
    public static AccountId GetAccountId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AccountId.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("The request is not authenticated.");
    }

    /// <summary>The authenticated caller's normalized username.</summary>
    public static string GetUsername(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("The request is not authenticated.");
    }

    /// <summary>The session the request authenticated with (for logout).</summary>
    public static SessionRecord GetSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ParleyTokenHandler.SessionItemKey] as SessionRecord
            ?? throw new InvalidOperationException("The request is not authenticated.");
    }
}
