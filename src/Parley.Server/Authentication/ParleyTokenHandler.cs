using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Parley.Server.Authentication;

/// <summary>
/// The <c>ParleyToken</c> scheme: <c>Authorization: Bearer &lt;token&gt;</c>, looked up by hash,
/// refused once revoked or expired. The principal carries the account id
/// (<see cref="ClaimTypes.NameIdentifier"/>) and username (<see cref="ClaimTypes.Name"/>).
/// </summary>
public sealed class ParleyTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ISessionTokenStore store,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ParleyToken";

    private const string BearerPrefix = "Bearer ";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        if (!SessionToken.TryHash(header.AsSpan(BearerPrefix.Length).Trim(), out var hash))
        {
            return AuthenticateResult.Fail("Malformed token");
        }
        var session = await store.FindAsync(hash, Context.RequestAborted).ConfigureAwait(false);
        if (session is null || session.ExpiresAt <= time.GetUtcNow())
        {
            return AuthenticateResult.Fail("Unknown or expired token");
        }
        Context.Items[SessionItemKey] = session;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, session.AccountId.ToString()),
                new Claim(ClaimTypes.Name, session.Username),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask; // The status-code-pages middleware writes the problem body.
    }

    internal const string SessionItemKey = "Parley.Session";
}
