using Parley.Crypto.Keys;

namespace Parley.Crypto.Session;

/// <summary>
/// Our private prekeys. One-time prekeys (X25519 and ML-KEM) are removed by the session layer as
/// soon as a prekey message using them has authenticated; last-resort ML-KEM prekeys stay, so the
/// store also remembers the initiators' base keys to reject replays of initial messages.
/// </summary>
public interface IPreKeyStore
{
    /// <summary>The signed prekey with this id, or null. The store keeps ownership.</summary>
    /// <param name="id">The id named in a prekey message.</param>
    SignedPreKeyRecord? GetSignedPreKey(SignedPreKeyId id);

    /// <summary>The one-time prekey with this id, or null if unknown or already used. The store keeps ownership.</summary>
    /// <param name="id">The id named in a prekey message.</param>
    OneTimePreKeyRecord? GetOneTimePreKey(PreKeyId id);

    /// <summary>Deletes (and wipes) a used one-time prekey.</summary>
    /// <param name="id">The prekey's id.</param>
    void RemoveOneTimePreKey(PreKeyId id);

    /// <summary>The ML-KEM prekey with this id, or null. The store keeps ownership.</summary>
    /// <param name="id">The id named in a prekey message.</param>
    KemPreKeyRecord? GetKemPreKey(KemPreKeyId id);

    /// <summary>Deletes (and wipes) a used one-time ML-KEM prekey; never called for a last-resort key.</summary>
    /// <param name="id">The prekey's id.</param>
    void RemoveKemPreKey(KemPreKeyId id);

    /// <summary>Whether a session was already created from this initiator base (ephemeral) key.</summary>
    /// <param name="baseKey">The 32-byte ephemeral public key of a prekey message.</param>
    bool IsBaseKeyUsed(ReadOnlySpan<byte> baseKey);

    /// <summary>Remembers a base key whose prekey message authenticated.</summary>
    /// <param name="baseKey">The 32-byte ephemeral public key.</param>
    void MarkBaseKeyUsed(ReadOnlySpan<byte> baseKey);
}
