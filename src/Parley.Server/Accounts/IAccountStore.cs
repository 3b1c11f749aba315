using Parley.Crypto.Auth;

namespace Parley.Server.Accounts;

/// <summary>An account's login material as stored.</summary>
/// <param name="Id">Database id.</param>
/// <param name="Username">Normalized username.</param>
/// <param name="Credentials">SRP salt, verifier and Argon2 salt and cost.</param>
/// <param name="CreatedAt">Registration time.</param>
public sealed record AccountRecord(AccountId Id, string Username, SrpRegistration Credentials, DateTimeOffset CreatedAt);

/// <summary>Outcome of creating an account.</summary>
public enum CreateAccountOutcome
{
    /// <summary>Created.</summary>
    Created,

    /// <summary>The username is taken (case-insensitively: names are stored normalized).</summary>
    UsernameTaken,

    /// <summary>The invite code is unknown, used or expired.</summary>
    InviteInvalid,
}

/// <summary>Accounts and invite codes.</summary>
public interface IAccountStore
{
    /// <summary>
    /// Creates an account; when <paramref name="inviteCodeHash"/> is given the invite is consumed in
    /// the same transaction (and nothing changes if either fails).
    /// </summary>
    Task<(CreateAccountOutcome Outcome, AccountId Id)> CreateAsync(
        string username, SrpRegistration credentials, DateTimeOffset now, byte[]? inviteCodeHash, CancellationToken cancellationToken);

    /// <summary>Finds an account by normalized username.</summary>
    Task<AccountRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    /// <summary>
    /// The id of the account with this normalized username, or null. For endpoints that take another
    /// user's name: one query that always returns one integer (0 when there is none), so an unknown name
    /// costs what an existing one costs — no credentials read for one and nothing for the other.
    /// </summary>
    Task<AccountId?> FindIdByUsernameAsync(string username, CancellationToken cancellationToken);

    /// <summary>Finds an account by id.</summary>
    Task<AccountRecord?> FindByIdAsync(AccountId id, CancellationToken cancellationToken);

    /// <summary>Replaces the login material and deletes every session, atomically.</summary>
    Task<bool> ChangeCredentialsAsync(AccountId id, SrpRegistration credentials, CancellationToken cancellationToken);

    /// <summary>Deletes the account; sessions and keys go with it (foreign keys cascade).</summary>
    Task<bool> DeleteAsync(AccountId id, CancellationToken cancellationToken);

    /// <summary>Counts accounts.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Stores an invite code by hash.</summary>
    Task CreateInviteAsync(byte[] codeHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
