namespace Parley.Wire.Rest;

/// <summary>
/// Body of <c>POST /v1/account/password</c> (authenticated): a fresh SRP proof of the old password
/// (from <c>/v1/auth/login/start</c> for the same account) and the new verifier.
/// </summary>
/// <param name="LoginId">From a login start for this account.</param>
/// <param name="A">Base64 client public ephemeral.</param>
/// <param name="M1">Base64 client proof with the old password.</param>
/// <param name="SrpSalt">New base64 SRP salt.</param>
/// <param name="Verifier">New base64 verifier.</param>
/// <param name="ArgonSalt">New base64 Argon2 salt.</param>
/// <param name="Argon2">New Argon2id cost.</param>
public sealed record PasswordChangeRequest(
    string LoginId, string A, string M1, string SrpSalt, string Verifier, string ArgonSalt, Argon2ParametersDto Argon2);

/// <summary>
/// Body of <c>POST /v1/account/delete</c> (authenticated): a fresh SRP proof of the password, so a
/// stolen token alone cannot delete the account.
/// </summary>
/// <param name="LoginId">From a login start for this account.</param>
/// <param name="A">Base64 client public ephemeral.</param>
/// <param name="M1">Base64 client proof.</param>
public sealed record AccountDeleteRequest(string LoginId, string A, string M1);

/// <summary>Response of an account deletion.</summary>
/// <param name="M2">Base64 server proof.</param>
public sealed record AccountDeleteResponse(string M2);

/// <summary>Response of <c>GET /v1/account</c>.</summary>
/// <param name="Username">The normalized username.</param>
/// <param name="CreatedAt">When the account was registered.</param>
/// <param name="SessionExpiresAt">When the token used for this request expires.</param>
public sealed record AccountInfoResponse(string Username, DateTimeOffset CreatedAt, DateTimeOffset SessionExpiresAt);
