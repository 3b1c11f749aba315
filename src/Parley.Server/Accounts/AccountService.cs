using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Crypto.Auth;
using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Metrics;
using Parley.Wire.Rest;

namespace Parley.Server.Accounts;

/// <summary>Registration, password change and deletion.</summary>
public sealed partial class AccountService(
    IAccountStore accounts,
    ISessionTokenStore sessions,
    LoginService logins,
    LoginThrottle throttle,
    ProofOfWorkService proofOfWork,
    IEnumerable<IAccountDeletionListener> deletionListeners,
    SessionRevocations revocations,
    ParleyMetrics metrics,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    /// <summary>Registers an account under the configured policy; throws problems for every refusal.</summary>
    public async Task<RegisterResponse> RegisterAsync(RegisterRequest request, IPAddress? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await throttle.CountRequestAsync(address, cancellationToken).ConfigureAwait(false);
        var o = options.Value;
        if (o.RegistrationPolicy == RegistrationPolicy.Closed)
        {
            throw new ProblemException(StatusCodes.Status403Forbidden, "registration-closed", "Registration is closed on this server");
        }
        var username = RequestDecoding.NewUsername(request.Username);
        var credentials = RequestDecoding.Credentials(request.SrpSalt, request.Verifier, request.ArgonSalt, request.Argon2, o);
        byte[]? inviteHash = null;
        if (o.RegistrationPolicy == RegistrationPolicy.Invite)
        {
            if (request.InviteCode is not { Length: > 0 and <= 64 })
            {
                throw new ProblemException(StatusCodes.Status403Forbidden, "invite-required", "An invite code is required");
            }
            inviteHash = HashInvite(request.InviteCode);
        }
        await proofOfWork.RequireValidAsync(request.Pow, cancellationToken).ConfigureAwait(false);
        // Counted once the work is verified, before the account exists: an attempt that the throttle
        // store cannot count (Redis away) fails without leaving an account behind.
        await proofOfWork.RecordRegistrationAsync(cancellationToken).ConfigureAwait(false);
        var (outcome, _) = await accounts.CreateAsync(username, credentials, time.GetUtcNow(), inviteHash, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case CreateAccountOutcome.UsernameTaken:
                throw ProblemException.Conflict("username-taken", "Username is taken");
            case CreateAccountOutcome.InviteInvalid:
                throw new ProblemException(StatusCodes.Status403Forbidden, "invite-invalid", "Invite code is invalid or used");
        }
        metrics.Registrations.Inc();
        LogRegistered(logger);
        return new RegisterResponse(username);
    }

    /// <summary>Creates an account directly (administrator, closed policy); false when the name is taken.</summary>
    public async Task<bool> CreateByAdminAsync(string username, SrpRegistration credentials, CancellationToken cancellationToken)
    {
        if (RequestDecoding.ReservedUsernames.Contains(username))
        {
            return false;
        }
        var (outcome, _) = await accounts.CreateAsync(username, credentials, time.GetUtcNow(), null, cancellationToken).ConfigureAwait(false);
        return outcome == CreateAccountOutcome.Created;
    }

    /// <summary>Replaces the caller's password after a fresh SRP proof of the old one; revokes every session and issues a new one.</summary>
    public async Task<LoginFinishResponse> ChangePasswordAsync(
        AccountId caller, PasswordChangeRequest request, IPAddress? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = RequestDecoding.Credentials(request.SrpSalt, request.Verifier, request.ArgonSalt, request.Argon2, options.Value);
        var proof = await ProveCallerAsync(caller, request.LoginId, request.A, request.M1, address, cancellationToken).ConfigureAwait(false);
        if (!await accounts.ChangeCredentialsAsync(caller, credentials, cancellationToken).ConfigureAwait(false))
        {
            throw ProblemException.NotFound("Account not found");
        }
        await revocations.NotifyAsync(new SessionRevocation(caller, null), cancellationToken).ConfigureAwait(false);
        var (token, expiresAt) = await logins.IssueSessionAsync(caller, cancellationToken).ConfigureAwait(false);
        LogPasswordChanged(logger);
        return new LoginFinishResponse(Convert.ToBase64String(proof.M2), token, expiresAt);
    }

    /// <summary>Deletes the caller's account after a fresh SRP proof: sessions, listeners' data, keys, the account.</summary>
    public async Task<AccountDeleteResponse> DeleteAsync(
        AccountId caller, AccountDeleteRequest request, IPAddress? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var proof = await ProveCallerAsync(caller, request.LoginId, request.A, request.M1, address, cancellationToken).ConfigureAwait(false);
        await sessions.RevokeAllAsync(caller, cancellationToken).ConfigureAwait(false);
        await revocations.NotifyAsync(new SessionRevocation(caller, null), cancellationToken).ConfigureAwait(false);
        foreach (var listener in deletionListeners)
        {
            await listener.OnAccountDeletingAsync(caller, cancellationToken).ConfigureAwait(false);
        }
        await accounts.DeleteAsync(caller, cancellationToken).ConfigureAwait(false);
        LogDeleted(logger);
        return new AccountDeleteResponse(Convert.ToBase64String(proof.M2));
    }

    /// <summary>The hash under which an invite code is stored.</summary>
    public static byte[] HashInvite(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim()));

    private async Task<LoginService.Proof> ProveCallerAsync(
        AccountId caller, string? loginId, string? a, string? m1, IPAddress? address, CancellationToken cancellationToken)
    {
        await throttle.CountRequestAsync(address, cancellationToken).ConfigureAwait(false);
        var proof = await logins.ProveAsync(loginId, a, m1, address, cancellationToken).ConfigureAwait(false);
        if (proof.Account.Id != caller)
        {
            throw new ProblemException(StatusCodes.Status403Forbidden, "wrong-account", "The proof is for another account");
        }
        return proof;
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Account registered")]
    private static partial void LogRegistered(ILogger logger);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Password changed; all sessions of the account revoked")]
    private static partial void LogPasswordChanged(ILogger logger);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Account deleted")]
    private static partial void LogDeleted(ILogger logger);
}
