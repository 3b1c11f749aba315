using Parley.Server.Accounts;

namespace Parley.Server.Authentication;

/// <summary>A session as stored: the token's hash, whose it is, and until when it is valid.</summary>
/// <param name="TokenHash">SHA-256 of the token bytes.</param>
/// <param name="AccountId">The account the session belongs to.</param>
/// <param name="Username">The account's (normalized) username, joined in on lookup.</param>
/// <param name="ExpiresAt">Fixed expiry; sessions do not slide.</param>
public sealed record SessionRecord(byte[] TokenHash, AccountId AccountId, string Username, DateTimeOffset ExpiresAt);

/// <summary>Stores session tokens by hash.</summary>
public interface ISessionTokenStore
{
    /// <summary>Records a new session.</summary>
    Task CreateAsync(byte[] tokenHash, AccountId accountId, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Finds a session by token hash, or null; expiry is the caller's to check.</summary>
    Task<SessionRecord?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>Revokes one session; false when it did not exist.</summary>
    Task<bool> RevokeAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>Revokes every session of an account; returns how many.</summary>
    Task<int> RevokeAllAsync(AccountId accountId, CancellationToken cancellationToken);

    /// <summary>Deletes sessions that expired before <paramref name="now"/>.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
