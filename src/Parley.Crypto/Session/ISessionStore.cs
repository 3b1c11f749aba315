namespace Parley.Crypto.Session;

/// <summary>
/// Session state per remote account, as opaque versioned bytes (docs/PROTOCOL.md section 6.4). The
/// bytes hold secrets: the client keeps them in its encrypted store. A record is written only after
/// a message authenticated, so what is stored is always a state that works. <see cref="SessionCipher.TryDecrypt"/>
/// writes the new state before it returns the plaintext: a client that wraps the call and the storing of
/// the plaintext in one database transaction can never lose a message to a crash (a redelivered copy
/// would otherwise be refused as a duplicate). Never restore session bytes from a backup: an older
/// state would reuse message keys.
/// </summary>
public interface ISessionStore
{
    /// <summary>The stored session bytes for <paramref name="remoteAccountId"/>, or null.</summary>
    /// <param name="remoteAccountId">The remote account.</param>
    byte[]? LoadSession(string remoteAccountId);

    /// <summary>Replaces the stored session bytes for <paramref name="remoteAccountId"/>.</summary>
    /// <param name="remoteAccountId">The remote account.</param>
    /// <param name="record">The new state.</param>
    void StoreSession(string remoteAccountId, byte[] record);
}
