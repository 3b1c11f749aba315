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
    ParleyMetrics metrics,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<LoginService> logger)
{
    private const int LoginIdLength = 32;

    /// <summary>An SRP proof that checked out.</summary>
    /// <param name="Account">The account proved.</param>
    /// <param name="M2">The server's proof for the client.</param>
    public sealed record Proof(AccountRecord Account, byte[] M2);

    /// <summary>Login step 1.</summary>
    public async Task<LoginStartResponse> StartAsync(LoginStartRequest request, IPAddress? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        throttle.CountRequest(address);
        var username = RequestDecoding.Username(request.Username);
        if (throttle.Check(username, address) == ThrottleDecision.RequireProofOfWork)
        {
            await proofOfWork.RequireValidAsync(request.Pow, cancellationToken).ConfigureAwait(false);
        }
        var account = await accounts.FindByUsernameAsync(username, cancellationToken).ConfigureAwait(false);
        var credentials = account?.Credentials ?? fakes.For(username);
        var (publicB, privateB) = SrpServerSession.Begin(credentials.Verifier);
        var loginId = new byte[LoginIdLength];
        RandomNumberGenerator.Fill(loginId);
        var expires = time.GetUtcNow().Add(options.Value.LoginLifetime);
        await challenges.CreateAsync(SHA256.HashData(loginId), new PendingLogin(username, account?.Id, privateB, publicB, expires),
            cancellationToken).ConfigureAwait(false);
        CryptographicOperations.ZeroMemory(privateB);
        return new LoginStartResponse(Base64Url.EncodeToString(loginId), Convert.ToBase64String(credentials.SrpSalt),
            Convert.ToBase64String(publicB), Convert.ToBase64String(credentials.ArgonSalt), credentials.Argon2.ToDto());
    }

    /// <summary>Login step 2: on success a new session.</summary>
    public async Task<LoginFinishResponse> FinishAsync(LoginFinishRequest request, IPAddress? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        throttle.CountRequest(address);
        var proof = await ProveAsync(request.LoginId, request.A, request.M1, address, cancellationToken).ConfigureAwait(false);
        var (token, expiresAt) = await IssueSessionAsync(proof.Account.Id, cancellationToken).ConfigureAwait(false);
        metrics.LoginsSucceeded.Inc();
        LogLoginSucceeded(logger);
        return new LoginFinishResponse(Convert.ToBase64String(proof.M2), token, expiresAt);
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
        var pending = await challenges.TakeAsync(SHA256.HashData(id), cancellationToken).ConfigureAwait(false);
        if (pending is null || pending.ExpiresAt <= time.GetUtcNow())
        {
            throw Failed();
        }
        var account = pending.AccountId is { } accountId
            ? await accounts.FindByIdAsync(accountId, cancellationToken).ConfigureAwait(false)
            : null;
        var verifier = account?.Credentials.Verifier ?? fakes.For(pending.Username).Verifier;
        var ok = SrpServerSession.TryFinish(verifier, pending.PrivateB, pending.PublicB, publicA, proof, out var m2);
        CryptographicOperations.ZeroMemory(pending.PrivateB);
        if (!ok || account is null)
        {
            throttle.RecordFailure(pending.Username, address);
            metrics.LoginsFailed.Inc();
            LogLoginFailed(logger);
            throw Failed();
        }
        throttle.RecordSuccess(pending.Username);
        return new Proof(account, m2);
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
