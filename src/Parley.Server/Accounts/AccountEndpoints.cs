using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Wire.Rest;

namespace Parley.Server.Accounts;

/// <summary>
/// The account routes. Anonymous: challenge, register, login start/finish. Everything else needs a
/// bearer token. Endpoints only translate HTTP; the services decide.
/// </summary>
public static class AccountEndpoints
{
    /// <summary>Largest body of an account request (a 4096-bit verifier in base64 is under 700 bytes).</summary>
    public const long MaxBodyBytes = 8 * 1024;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/auth/challenge", async (PowChallengeRequest? request, HttpContext context, LoginService logins) =>
            TypedResults.Ok(await logins.ChallengeAsync(request, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false)))
            .AllowAnonymous().WithBodyLimit(MaxBodyBytes);

        endpoints.MapPost("/v1/accounts", async (RegisterRequest request, HttpContext context, AccountService service) =>
        {
            var response = await service.RegisterAsync(request, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Created($"/v1/keys/{response.Username}", response);
        }).AllowAnonymous().WithBodyLimit(MaxBodyBytes);

        endpoints.MapPost("/v1/auth/login/start", async (LoginStartRequest request, HttpContext context, LoginService service) =>
            TypedResults.Ok(await service.StartAsync(request, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false)))
            .AllowAnonymous().WithBodyLimit(MaxBodyBytes);

        endpoints.MapPost("/v1/auth/login/finish", async (LoginFinishRequest request, HttpContext context, LoginService service) =>
            TypedResults.Ok(await service.FinishAsync(request, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false)))
            .AllowAnonymous().WithBodyLimit(MaxBodyBytes);

        endpoints.MapPost("/v1/auth/logout", async (HttpContext context, ISessionTokenStore sessions, SessionRevocations revocations) =>
        {
            var session = context.GetSession();
            await sessions.RevokeAsync(session.TokenHash, context.RequestAborted).ConfigureAwait(false);
            await revocations.NotifyAsync(new SessionRevocation(session.AccountId, session.TokenHash), context.RequestAborted).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).WithBodyLimit(MaxBodyBytes);

        endpoints.MapGet("/v1/account", async (HttpContext context, IAccountStore accounts) =>
        {
            var session = context.GetSession();
            var account = await accounts.FindByIdAsync(session.AccountId, context.RequestAborted).ConfigureAwait(false)
                ?? throw ProblemException.NotFound("Account not found");
            return TypedResults.Ok(new AccountInfoResponse(account.Username, account.CreatedAt, session.ExpiresAt));
        });

        endpoints.MapPost("/v1/account/password", async (PasswordChangeRequest request, HttpContext context, AccountService service) =>
            TypedResults.Ok(await service.ChangePasswordAsync(
                context.User.GetAccountId(), request, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false)))
            .WithBodyLimit(MaxBodyBytes);

        endpoints.MapPost("/v1/account/delete", async (AccountDeleteRequest request, HttpContext context, AccountService service) =>
            TypedResults.Ok(await service.DeleteAsync(
                context.User.GetAccountId(), request, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false)))
            .WithBodyLimit(MaxBodyBytes);
        return endpoints;
    }
}
