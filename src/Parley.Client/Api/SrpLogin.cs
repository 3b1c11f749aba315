using Parley.Client.Errors;
using Parley.Crypto.Auth;
using Parley.Wire.Rest;

namespace Parley.Client.Api;

/// <summary>
/// The client side of registration and SRP-6a login (the shared helpers in Parley.Crypto.Auth):
/// Argon2id-stretch the password with the server's salt and parameters (checked against local
/// bounds first, so a hostile server cannot make us burn unbounded memory), prove knowledge of it,
/// and check the server's proof M2 before trusting the token.
/// </summary>
internal static class SrpLogin
{
    /// <summary>Registers <paramref name="user"/> with a fresh verifier.</summary>
    public static async Task RegisterAsync(ServerApi api, string user, string password, CancellationToken cancellationToken)
    {
        var registration = SrpRegistration.Create(user, password, Argon2Parameters.Default);
        var pow = await SolveChallengeAsync(api, null, cancellationToken).ConfigureAwait(false);
        var request = new RegisterRequest(
            user,
            Convert.ToBase64String(registration.SrpSalt),
            Convert.ToBase64String(registration.Verifier),
            Convert.ToBase64String(registration.ArgonSalt),
            new Argon2ParametersDto(registration.Argon2.MemoryKiB, registration.Argon2.Iterations, registration.Argon2.Parallelism),
            pow,
            null);
        await api.PostAsync<RegisterResponse>(Routes.Register, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Logs in, presenting the profile's device cookie (if any), and returns the bearer token once the
    /// server's proof checked out, with the new device cookie the server issued (null if none).
    /// </summary>
    public static async Task<(string Token, string? DeviceCookie)> LoginAsync(
        ServerApi api, string user, string password, string? deviceCookie, CancellationToken cancellationToken)
    {
        var (loginId, a, m1, session) = await ProveAsync(api, user, password, deviceCookie, cancellationToken).ConfigureAwait(false);
        using (session)
        {
            LoginFinishResponse finish;
            try
            {
                finish = await api.PostAsync<LoginFinishResponse>(Routes.LoginFinish, new LoginFinishRequest(loginId, a, m1), cancellationToken).ConfigureAwait(false);
            }
            catch (ParleyClientException e) when (e.Kind is ClientErrorKind.NotLoggedIn or ClientErrorKind.Refused or ClientErrorKind.NotAContact)
            {
                throw new ParleyClientException(ClientErrorKind.WrongPassword, e);
            }

            CheckServerProof(session, finish.M2);
            var token = finish.Token is { Length: > 0 } t ? t : throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
            var cookie = finish.DeviceCookie is { Length: > 0 and <= DeviceCookieLimits.MaxEncodedLength } c ? c : null;
            return (token, cookie);
        }
    }

    /// <summary>Deletes the logged-in account, proving the password again (SRP) as the server requires.</summary>
    public static async Task DeleteAccountAsync(ServerApi api, string user, string password, CancellationToken cancellationToken)
    {
        var (loginId, a, m1, session) = await ProveAsync(api, user, password, null, cancellationToken).ConfigureAwait(false);
        using (session)
        {
            AccountDeleteResponse response;
            try
            {
                response = await api.PostAsync<AccountDeleteResponse>(Routes.DeleteAccount, new AccountDeleteRequest(loginId, a, m1), cancellationToken).ConfigureAwait(false);
            }
            catch (ParleyClientException e) when (e.Kind is ClientErrorKind.Refused or ClientErrorKind.NotAContact)
            {
                throw new ParleyClientException(ClientErrorKind.WrongPassword, e);
            }

            CheckServerProof(session, response.M2);
        }
    }

    /// <summary>Changes the password (proving the current one) and returns the new session token.</summary>
    public static async Task<string> ChangePasswordAsync(ServerApi api, string user, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var registration = SrpRegistration.Create(user, newPassword, Argon2Parameters.Default);
        var (loginId, a, m1, session) = await ProveAsync(api, user, currentPassword, null, cancellationToken).ConfigureAwait(false);
        using (session)
        {
            var request = new PasswordChangeRequest(
                loginId,
                a,
                m1,
                Convert.ToBase64String(registration.SrpSalt),
                Convert.ToBase64String(registration.Verifier),
                Convert.ToBase64String(registration.ArgonSalt),
                new Argon2ParametersDto(registration.Argon2.MemoryKiB, registration.Argon2.Iterations, registration.Argon2.Parallelism));
            LoginFinishResponse response;
            try
            {
                response = await api.PostAsync<LoginFinishResponse>(Routes.ChangePassword, request, cancellationToken).ConfigureAwait(false);
            }
            catch (ParleyClientException e) when (e.Kind is ClientErrorKind.Refused or ClientErrorKind.NotAContact)
            {
                throw new ParleyClientException(ClientErrorKind.WrongPassword, e);
            }

            CheckServerProof(session, response.M2);
            return response.Token;
        }
    }

    /// <summary>Round one of SRP: fetch salt and B, stretch the password, compute A and M1.</summary>
    private static async Task<(string LoginId, string A, string M1, SrpClientSession Session)> ProveAsync(
        ServerApi api, string user, string password, string? deviceCookie, CancellationToken cancellationToken)
    {
        LoginStartResponse start;
        try
        {
            start = await api.PostAsync<LoginStartResponse>(Routes.LoginStart, new LoginStartRequest(user, null, deviceCookie), cancellationToken).ConfigureAwait(false);
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.Refused)
        {
            // After repeated failures the server asks for proof of work before another attempt, harder
            // with each failure: the challenge is asked for this login, so it comes at the right difficulty.
            var pow = await SolveChallengeAsync(api, new PowChallengeRequest(user, deviceCookie), cancellationToken).ConfigureAwait(false);
            start = await api.PostAsync<LoginStartResponse>(Routes.LoginStart, new LoginStartRequest(user, pow, deviceCookie), cancellationToken).ConfigureAwait(false);
        }

        // A hostile server's answer may leave out fields or send a salt of the wrong size: refuse it
        // as a protocol violation before any work, never let it surface as an internal error.
        if (start.Argon2 is null || start.LoginId is null)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        var argon = new Argon2Parameters(start.Argon2.MemoryKiB, start.Argon2.Iterations, start.Argon2.Parallelism);
        var argonSalt = Decode(start.ArgonSalt);
        if (!argon.IsWithinBounds || argonSalt.Length != Argon2Parameters.SaltLength)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        using var stretched = StretchedPassword.Derive(password, argonSalt, argon);
        var session = new SrpClientSession(user, stretched, Decode(start.SrpSalt));
        try
        {
            var m1 = session.ComputeProof(Decode(start.B));
            return (start.LoginId, Convert.ToBase64String(session.PublicA), Convert.ToBase64String(m1), session);
        }
        catch (SrpException e)
        {
            session.Dispose();
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation, e);
        }
    }

    private static void CheckServerProof(SrpClientSession session, string? m2)
    {
        if (!session.VerifyServerProof(Decode(m2)))
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }
    }

    private static async Task<PowSolution> SolveChallengeAsync(ServerApi api, PowChallengeRequest? forLogin, CancellationToken cancellationToken)
    {
        var challenge = await api.PostAsync<PowChallengeResponse>(Routes.PowChallenge, forLogin, cancellationToken).ConfigureAwait(false);
        if (challenge.Difficulty is < 0 or > ProofOfWork.MaxDifficulty || challenge.Challenge is null || challenge.Challenge.Length > ProofOfWork.MaxChallengeLength * 2)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        var bytes = Decode(challenge.Challenge);
        var counter = await Task.Run(() => ProofOfWork.Solve(bytes, challenge.Difficulty, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new PowSolution(challenge.Challenge, (long)counter);
    }

    private static byte[] Decode(string? base64)
    {
        if (base64 is null || base64.Length > 8192)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation, e);
        }
    }
}
