namespace Parley.Wire.Rest;

/// <summary>Argon2id cost parameters as sent on the wire.</summary>
/// <param name="MemoryKiB">Memory in KiB.</param>
/// <param name="Iterations">Number of passes.</param>
/// <param name="Parallelism">Lanes (always 1).</param>
public sealed record Argon2ParametersDto(int MemoryKiB, int Iterations, int Parallelism);

/// <summary>Response of <c>POST /v1/auth/challenge</c>: a proof-of-work puzzle, single use.</summary>
/// <param name="Challenge">Base64 challenge bytes; the client hashes them exactly as decoded.</param>
/// <param name="Difficulty">Required leading zero bits of SHA-256(challenge || counter as 8 bytes big-endian).</param>
/// <param name="ExpiresAt">After this the challenge is refused.</param>
public sealed record PowChallengeResponse(string Challenge, int Difficulty, DateTimeOffset ExpiresAt);

/// <summary>
/// Optional body of <c>POST /v1/auth/challenge</c>. With a username, the challenge comes at the
/// difficulty a login start for that username (from this address, with this device cookie) needs
/// right now; without one, at the registration difficulty.
/// </summary>
/// <param name="Username">The username about to log in, or null.</param>
/// <param name="DeviceCookie">The device cookie the login will present, or null.</param>
public sealed record PowChallengeRequest(string? Username, string? DeviceCookie);

/// <summary>Limits of the device cookie (docs/SECURITY.md, "Login throttling").</summary>
public static class DeviceCookieLimits
{
    /// <summary>Longest device cookie a server accepts or a client stores (the current format is 87 characters).</summary>
    public const int MaxEncodedLength = 128;
}

/// <summary>A solved proof of work, attached to a registration or a throttled login.</summary>
/// <param name="Challenge">The challenge exactly as received (base64).</param>
/// <param name="Counter">The counter that solves it.</param>
public sealed record PowSolution(string Challenge, long Counter);

/// <summary>Body of <c>POST /v1/accounts</c>.</summary>
/// <param name="Username">3–32 characters of [a-z0-9_.-] (upper case is folded).</param>
/// <param name="SrpSalt">Base64 of 32 random bytes.</param>
/// <param name="Verifier">Base64 of v = g^x mod N (unsigned big-endian).</param>
/// <param name="ArgonSalt">Base64 of 16 random bytes.</param>
/// <param name="Argon2">The Argon2id cost the client used.</param>
/// <param name="Pow">A solved challenge from <c>POST /v1/auth/challenge</c> (required).</param>
/// <param name="InviteCode">Required when the server's policy is invite-only.</param>
public sealed record RegisterRequest(
    string Username, string SrpSalt, string Verifier, string ArgonSalt, Argon2ParametersDto Argon2,
    PowSolution? Pow, string? InviteCode);

/// <summary>Response of a successful registration (201).</summary>
/// <param name="Username">The normalized username.</param>
public sealed record RegisterResponse(string Username);

/// <summary>Body of <c>POST /v1/auth/login/start</c>.</summary>
/// <param name="Username">The username (any case).</param>
/// <param name="Pow">Required only after repeated failures (the server answers 428 <c>pow-required</c>; ask
/// <c>POST /v1/auth/challenge</c> with a <see cref="PowChallengeRequest"/> for a challenge of the right difficulty).</param>
/// <param name="DeviceCookie">The device cookie from this client's last successful login to this account, if any:
/// it lets the client past the account-wide lockout that strangers' failures can cause.</param>
public sealed record LoginStartRequest(string Username, PowSolution? Pow, string? DeviceCookie = null);

/// <summary>Response of <c>POST /v1/auth/login/start</c> — identical in shape for unknown usernames.</summary>
/// <param name="LoginId">Opaque single-use id for the finish step (expires in about a minute).</param>
/// <param name="SrpSalt">Base64 SRP salt.</param>
/// <param name="B">Base64 server public ephemeral.</param>
/// <param name="ArgonSalt">Base64 Argon2 salt.</param>
/// <param name="Argon2">Argon2id cost to stretch the password with.</param>
public sealed record LoginStartResponse(string LoginId, string SrpSalt, string B, string ArgonSalt, Argon2ParametersDto Argon2);

/// <summary>Body of <c>POST /v1/auth/login/finish</c>.</summary>
/// <param name="LoginId">From the start step; consumed by this request whatever its outcome.</param>
/// <param name="A">Base64 client public ephemeral.</param>
/// <param name="M1">Base64 client proof.</param>
public sealed record LoginFinishRequest(string LoginId, string A, string M1);

/// <summary>Response of a successful login or password change.</summary>
/// <param name="M2">Base64 server proof; the client must verify it before using the token.</param>
/// <param name="Token">Bearer token (43 characters of base64url).</param>
/// <param name="ExpiresAt">Fixed expiry of the token.</param>
/// <param name="DeviceCookie">A new device cookie (login only; null for a password change): keep it private (0600) and
/// present it at the next login start to this account.</param>
public sealed record LoginFinishResponse(string M2, string Token, DateTimeOffset ExpiresAt, string? DeviceCookie = null);
