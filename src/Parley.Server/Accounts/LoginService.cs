using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Metrics;
using Parley.Wire.Rest;

namespace Parley.Server.Accounts;

/// <summary>
/// SRP-6a login in two round trips, and the SRP proof that password change and deletion reuse.
/// Start: throttle, look up (or fake) the account, compute B, store b under a random login id.
/// Finish: take the login id (single use, whatever happens next), reject A ≡ 0, check M1 in constant
/// time, then send M2 and a session token.
/// </summary>
public sealed partial class LoginService(
    IAccountStore accounts,
    ISessionTokenStore sessions,
    LoginChallengeStore challenges,
    FakeCredentials fakes,
    LoginThrottle throttle,
    ProofOfWorkService proofOfWork,
    DeviceCookies deviceCookies,
    ParleyMetrics metrics,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<LoginService> logger)
{
    private const int LoginIdLength = 32;

    /// <summary>An id no account has (ids start at 1): what a login for an unknown name looks up.</summary>
    private static readonly AccountId NoAccount = new(0);

    /// <summary>An SRP proof that checked out.</summary>
    /// <param name="Account">The account proved.</param>
    /// <param name="M2">The server's proof for the client.</param>
    public sealed record Proof(AccountRecord Account, byte[] M2);

    /// <summary>
    /// A proof-of-work challenge: at the registration difficulty, or — given a username — at the
    /// difficulty a login start for it from this address with this cookie needs now (429 when locked out).
    /// </summary>
    public async Task<PowChallengeResponse> ChallengeAsync(PowChallengeRequest? request, IPAddress? address, CancellationToken cancellationToken)
    {
        await throttle.CountRequestAsync(address, cancellationToken).ConfigureAwait(false);
        if (request?.Username is null)
        {
            return await proofOfWork.IssueAsync(cancellationToken).ConfigureAwait(false);
        }
        var (plan, _) = await PlanAsync(request.Username, request.DeviceCookie, address, cancellationToken).ConfigureAwait(false);
        var difficulty = await throttle.RequiredDifficultyAsync(plan, cancellationToken).ConfigureAwait(false);
        return await proofOfWork.IssueAsync(cancellationToken, difficulty).ConfigureAwait(false);
    }

    /// <summary>
    /// Login step 1. The attempt is reserved with the throttle before the server ephemeral is made,
    /// and unknown usernames take the same path (a fake record, the same queries) as known ones.
    /// </summary>
    public async Task<LoginStartResponse> StartAsync(LoginStartRequest request, IPAddress? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await throttle.CountRequestAsync(address, cancellationToken).ConfigureAwait(false);
        var (plan, account) = await PlanAsync(request.Username, request.DeviceCookie, address, cancellationToken).ConfigureAwait(false);
        var difficulty = await throttle.RequiredDifficultyAsync(plan, cancellationToken).ConfigureAwait(false);
        if (difficulty > 0)
        {
            await proofOfWork.RequireValidAsync(request.Pow, cancellationToken, difficulty).ConfigureAwait(false);
        }
        var loginId = new byte[LoginIdLength];
        RandomNumberGenerator.Fill(loginId);
        var idHash = SHA256.HashData(loginId);
        await throttle.OpenAsync(plan, Convert.ToHexString(idHash), cancellationToken).ConfigureAwait(false);
        var fake = fakes.For(plan.Username); // made for known names too: both paths do the same work
        var credentials = account?.Credentials ?? fake;
        var (publicB, privateB) = SrpServerSession.Begin(credentials.Verifier);
        var expires = time.GetUtcNow().Add(options.Value.LoginLifetime);
        await challenges.CreateAsync(idHash, new PendingLogin(plan.Username, account?.Id, privateB, publicB, expires, plan),
            cancellationToken).ConfigureAwait(false);
        CryptographicOperations.ZeroMemory(privateB);
        return new LoginStartResponse(Base64Url.EncodeToString(loginId), Convert.ToBase64String(credentials.SrpSalt),
            Convert.ToBase64String(publicB), Convert.ToBase64String(credentials.ArgonSalt), credentials.Argon2.ToDto());
    }

    /// <summary>Login step 2: on success a new session.</summary>
    public async Task<LoginFinishResponse> FinishAsync(LoginFinishRequest request, IPAddress? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await throttle.CountRequestAsync(address, cancellationToken).ConfigureAwait(false);
        var proof = await ProveAsync(request.LoginId, request.A, request.M1, address, cancellationToken).ConfigureAwait(false);
        var (token, expiresAt) = await IssueSessionAsync(proof.Account.Id, cancellationToken).ConfigureAwait(false);
        metrics.LoginsSucceeded.Inc();
        LogLoginSucceeded(logger);
        return new LoginFinishResponse(Convert.ToBase64String(proof.M2), token, expiresAt, deviceCookies.Issue(proof.Account.Id));
    }

    /// <summary>
    /// Checks an SRP proof for a login id. Throws 400 for malformed fields and 401 <c>login-failed</c>
    /// for everything else (unknown, used or expired id; illegal A; wrong M1; unknown account).
    /// </summary>
    public async Task<Proof> ProveAsync(string? loginId, string? a, string? m1, IPAddress? address, CancellationToken cancellationToken)
    {
        var id = DecodeLoginId(loginId);
        var publicA = RequestDecoding.Base64(a, 1, SrpParameters.ElementLength, "a");
        var proof = RequestDecoding.Base64(m1, 1, SrpParameters.ProofLength, "m1");
        var idHash = SHA256.HashData(id);
        var pending = await challenges.TakeAsync(idHash, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            throw Failed();
        }
        if (pending.ExpiresAt <= time.GetUtcNow())
        {
            await throttle.CloseAsync(pending.Plan, Convert.ToHexString(idHash), succeeded: false).ConfigureAwait(false);
            throw Failed();
        }
        // An unknown name looks up an id no account has, and a known one derives the fake verifier too: both
        // paths make the same query and the same derivation (docs/SECURITY.md, "Timing").
        var account = await accounts.FindByIdAsync(pending.AccountId ?? NoAccount, cancellationToken).ConfigureAwait(false);
        var fake = fakes.For(pending.Username).Verifier;
        var verifier = account?.Credentials.Verifier ?? fake;
        var ok = SrpServerSession.TryFinish(verifier, pending.PrivateB, pending.PublicB, publicA, proof, out var m2);
        CryptographicOperations.ZeroMemory(pending.PrivateB);
        var succeeded = ok && account is not null;
        await throttle.CloseAsync(pending.Plan, Convert.ToHexString(idHash), succeeded).ConfigureAwait(false);
        if (!succeeded)
        {
            metrics.LoginsFailed.Inc();
            LogLoginFailed(logger);
            throw Failed();
        }
        return new Proof(account!, m2);
    }

    /// <summary>Creates a session token for an account.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueSessionAsync(AccountId account, CancellationToken cancellationToken)
    {
        var (token, hash) = SessionToken.Create();
        var now = time.GetUtcNow();
        var expires = now.Add(options.Value.SessionLifetime);
        await sessions.CreateAsync(hash, account, now, expires, cancellationToken).ConfigureAwait(false);
        return (token, expires);
    }

    private async Task<(LoginPlan Plan, AccountRecord? Account)> PlanAsync(
        string? username, string? deviceCookie, IPAddress? address, CancellationToken cancellationToken)
    {
        var name = RequestDecoding.Username(username);
        var account = await accounts.FindByUsernameAsync(name, cancellationToken).ConfigureAwait(false);
        return (LoginThrottle.Plan(name, address, deviceCookies.Validate(deviceCookie, account?.Id)), account);
    }

    private static byte[] DecodeLoginId(string? loginId)
    {
        var buffer = new byte[LoginIdLength + 2];
        if (loginId is null || loginId.Length != 43 || !Base64Url.IsValid(loginId, out var length) || length != LoginIdLength
            || !Base64Url.TryDecodeFromChars(loginId, buffer, out var written) || written != LoginIdLength)
        {
            throw ProblemException.BadRequest("Field 'loginId' is malformed");
        }
        return buffer[..LoginIdLength];
    }

    private static ProblemException Failed() =>
        new(StatusCodes.Status401Unauthorized, "login-failed", "Login failed");

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "SRP login succeeded")]
    private static partial void LogLoginSucceeded(ILogger logger);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "SRP login failed")]
    private static partial void LogLoginFailed(ILogger logger);
}
