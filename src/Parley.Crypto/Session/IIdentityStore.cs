using Parley.Crypto.Keys;

namespace Parley.Crypto.Session;

/// <summary>Trust-on-first-use decision for a remote identity key.</summary>
public enum IdentityTrust
{
    /// <summary>No key was known for the account: this one will be trusted from now on.</summary>
    FirstUse = 1,

    /// <summary>The key equals the trusted key.</summary>
    Trusted = 2,

    /// <summary>A different key is trusted: block sending and warn until the user verifies or accepts.</summary>
    Changed = 3,
}

/// <summary>
/// Our own identity and the identities we trust for each remote account. Implemented by the client's
/// encrypted store; <see cref="InMemoryIdentityStore"/> is the reference implementation. The session
/// layer reads and writes it only after a message has authenticated.
/// </summary>
public interface IIdentityStore
{
    /// <summary>Our own account id (the server's normalized username).</summary>
    string LocalAccountId { get; }

    /// <summary>Our identity key pair. The store keeps ownership; callers must not dispose it.</summary>
    IdentityKeyPair GetIdentityKeyPair();

    /// <summary>The identity key trusted for <paramref name="accountId"/>, or null if none.</summary>
    /// <param name="accountId">The remote account.</param>
    IdentityKey? GetRemoteIdentity(string accountId);

    /// <summary>Trusts <paramref name="identityKey"/> for <paramref name="accountId"/>, replacing any earlier key.</summary>
    /// <param name="accountId">The remote account.</param>
    /// <param name="identityKey">The key to trust (first use, or a change the user accepted).</param>
    void SaveRemoteIdentity(string accountId, IdentityKey identityKey);
}

/// <summary>Trust decisions over an <see cref="IIdentityStore"/>.</summary>
public static class IdentityStoreExtensions
{
    /// <summary>The TOFU decision for <paramref name="identityKey"/>, without changing the store.</summary>
    /// <param name="store">The identity store.</param>
    /// <param name="accountId">The remote account.</param>
    /// <param name="identityKey">The key presented for it.</param>
    public static IdentityTrust GetTrust(this IIdentityStore store, string accountId, IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identityKey);
        IdentityKey? known = store.GetRemoteIdentity(accountId);
        return known is null ? IdentityTrust.FirstUse : known.Equals(identityKey) ? IdentityTrust.Trusted : IdentityTrust.Changed;
    }
}
