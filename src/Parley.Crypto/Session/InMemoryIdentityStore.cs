using Parley.Crypto.Keys;

namespace Parley.Crypto.Session;

/// <summary>An <see cref="IIdentityStore"/> in process memory, for tests and tools.</summary>
public sealed class InMemoryIdentityStore : IIdentityStore, IDisposable
{
    private readonly IdentityKeyPair _identity;
    private readonly Dictionary<string, IdentityKey> _trusted = new(StringComparer.Ordinal);

    /// <summary>Creates the store; it takes ownership of <paramref name="identity"/>.</summary>
    /// <param name="localAccountId">Our account id.</param>
    /// <param name="identity">Our identity key pair.</param>
    public InMemoryIdentityStore(string localAccountId, IdentityKeyPair identity)
    {
        ArgumentException.ThrowIfNullOrEmpty(localAccountId);
        ArgumentNullException.ThrowIfNull(identity);
        LocalAccountId = localAccountId;
        _identity = identity;
    }

    /// <inheritdoc/>
    public string LocalAccountId { get; }

    /// <inheritdoc/>
    public IdentityKeyPair GetIdentityKeyPair() => _identity;

    /// <inheritdoc/>
    public IdentityKey? GetRemoteIdentity(string accountId) => _trusted.GetValueOrDefault(accountId);

    /// <inheritdoc/>
    public void SaveRemoteIdentity(string accountId, IdentityKey identityKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(identityKey);
        _trusted[accountId] = identityKey;
    }

    /// <summary>Wipes our identity key pair.</summary>
    public void Dispose() => _identity.Dispose();
}
