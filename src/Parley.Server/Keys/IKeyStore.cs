using Parley.Server.Accounts;

namespace Parley.Server.Keys;

/// <summary>Outcome of storing an identity key.</summary>
public enum IdentityOutcome
{
    /// <summary>Stored (first upload, or an explicit replacement that also cleared the old prekeys).</summary>
    Stored,

    /// <summary>The same key was already stored.</summary>
    Unchanged,

    /// <summary>The account has a different identity and replacement was not asked for.</summary>
    ExistsDifferent,

    /// <summary>The key is bound to another account.</summary>
    InUseByOtherAccount,
}

/// <summary>Which table a single-key upload replaces.</summary>
public enum SingleKeyKind
{
    /// <summary>The signed X25519 prekey.</summary>
    SignedPreKey,

    /// <summary>The last-resort ML-KEM prekey.</summary>
    KemLastResort,
}

/// <summary>Which one-time pool a batch goes to.</summary>
public enum OneTimeKind
{
    /// <summary>One-time X25519 prekeys.</summary>
    X25519,

    /// <summary>One-time ML-KEM-1024 prekeys.</summary>
    MlKem,
}

/// <summary>The non-consumable parts of an account's bundle, as stored bytes.</summary>
/// <param name="Identity">Serialized identity key.</param>
/// <param name="SignedPreKey">Serialized signed prekey.</param>
/// <param name="KemLastResort">Serialized last-resort KEM prekey.</param>
/// <param name="Suites">Serialized signed suite list.</param>
public sealed record StoredBundleParts(byte[] Identity, byte[] SignedPreKey, byte[] KemLastResort, byte[] Suites);

/// <summary>What an account has stored.</summary>
/// <param name="OneTime">One-time X25519 prekeys left.</param>
/// <param name="Kem">One-time ML-KEM prekeys left.</param>
/// <param name="Identity">Has an identity.</param>
/// <param name="SignedPreKey">Has a signed prekey.</param>
/// <param name="KemLastResort">Has a last-resort KEM prekey.</param>
/// <param name="Suites">Has a suite list.</param>
public sealed record KeyCounts(int OneTime, int Kem, bool Identity, bool SignedPreKey, bool KemLastResort, bool Suites);

/// <summary>The key directory's storage. Every consuming read is atomic: a one-time key is returned at most once.</summary>
public interface IKeyStore
{
    /// <summary>Stores or replaces the identity (replacement deletes all keys signed by the old one).</summary>
    Task<IdentityOutcome> SetIdentityAsync(AccountId account, byte[] data, byte[] signingKey, byte[] agreementKey, bool replace,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The stored identity bytes, or null.</summary>
    Task<byte[]?> GetIdentityAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>Replaces a signed prekey or the last-resort KEM prekey.</summary>
    Task SetSingleAsync(AccountId account, SingleKeyKind kind, uint keyId, byte[] data, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Replaces the signed suite list.</summary>
    Task SetSuitesAsync(AccountId account, byte[] data, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Adds one-time keys, skipping ids already stored; returns how many were added, or -1 (and adds
    /// nothing) when the pool would exceed <paramref name="maxStored"/>.
    /// </summary>
    Task<int> AddOneTimeAsync(AccountId account, OneTimeKind kind, IReadOnlyList<(uint Id, byte[] Data)> keys, int maxStored,
        CancellationToken cancellationToken);

    /// <summary>Counts what the account has.</summary>
    Task<KeyCounts> CountAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>The static bundle parts, or null when any is missing.</summary>
    Task<StoredBundleParts?> GetBundlePartsAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>Removes and returns one one-time key of the kind (lowest id first), or null when none is left.</summary>
    Task<byte[]?> TakeOneTimeAsync(AccountId account, OneTimeKind kind, CancellationToken cancellationToken);
}
