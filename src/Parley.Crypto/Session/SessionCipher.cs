using System.Security.Cryptography;
using Parley.Crypto.Keys;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Session;

/// <summary>
/// Encrypts and decrypts the messages of one conversation (ours with <c>remoteAccountId</c>). State
/// lives in the stores and is written only after success, so a refused message changes nothing.
/// Not thread-safe: use one cipher per conversation at a time. Keep the cipher for the conversation:
/// it caches the parsed session while the store still holds exactly the bytes it last wrote.
/// </summary>
public sealed partial class SessionCipher : IDisposable
{
    private readonly IIdentityStore _identities;
    private readonly IPreKeyStore _preKeys;
    private readonly ISessionStore _sessions;
    private readonly string _remoteAccountId;
    private SessionRecord? _cachedRecord;
    private byte[]? _cachedBytes;

    /// <summary>Creates the cipher for the conversation with <paramref name="remoteAccountId"/>.</summary>
    /// <param name="identities">Our identity and trusted contacts.</param>
    /// <param name="preKeys">Our private prekeys (used when a contact starts a session with us).</param>
    /// <param name="sessions">Session state.</param>
    /// <param name="remoteAccountId">The contact's account id, as the server authenticated the sender.</param>
    public SessionCipher(IIdentityStore identities, IPreKeyStore preKeys, ISessionStore sessions, string remoteAccountId)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(preKeys);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentException.ThrowIfNullOrEmpty(remoteAccountId);
        _identities = identities;
        _preKeys = preKeys;
        _sessions = sessions;
        _remoteAccountId = remoteAccountId;
    }

    /// <summary>Whether a session with the contact exists.</summary>
    public bool HasSession => _sessions.LoadSession(_remoteAccountId) is not null;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/>. The message is a PreKey message until the contact has
    /// answered, a Ratchet message afterwards.
    /// </summary>
    /// <param name="plaintext">At most <see cref="MessageFormat.MaxPlaintextLength"/> bytes.</param>
    /// <exception cref="SessionException">
    /// <see cref="SessionError.NoSession"/> without a session; <see cref="SessionError.UntrustedIdentity"/> when the
    /// contact's trusted identity key no longer matches the session's (sending is blocked until the user acts;
    /// after the user accepts the new key with <see cref="IIdentityStore.SaveRemoteIdentity"/>, build a new
    /// session from a fresh bundle with <see cref="SessionBuilder"/>).
    /// </exception>
    public CiphertextMessage Encrypt(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length > MessageFormat.MaxPlaintextLength)
        {
            throw new ArgumentException("The plaintext is too long.", nameof(plaintext));
        }

        SessionRecord record = LoadRecord() ?? throw new SessionException(SessionError.NoSession);
        SessionState state = record.Current;
        IdentityKey? trusted = _identities.GetRemoteIdentity(_remoteAccountId);
        if (trusted is null || !state.IsWith(trusted))
        {
            throw new SessionException(SessionError.UntrustedIdentity);
        }

        if (!state.Ratchet.CanEncrypt)
        {
            throw new SessionException(SessionError.NoSession);
        }

        byte[] prefix = MessageFormat.Prefix(state.Suite, state.PendingHeader);
        InvalidateCache();
        byte[] message = state.Ratchet.Encrypt(prefix, plaintext);
        Commit(record);
        return new CiphertextMessage(state.PendingHeader is null ? CiphertextMessageType.Ratchet : CiphertextMessageType.PreKey, message);
    }

    /// <summary>
    /// Authenticates and decrypts a message from the contact. A PreKey message from a new session
    /// creates it (consuming the one-time prekeys it used); any failure leaves every store unchanged.
    /// </summary>
    /// <param name="message">The untrusted wire bytes.</param>
    /// <param name="plaintext">The plaintext on success, otherwise null.</param>
    /// <param name="error">Why the message was refused, or <see cref="SessionError.None"/>.</param>
    /// <returns>True when the message decrypted.</returns>
    /// <exception cref="InvalidOperationException">The session bytes in our own store are corrupt (a store bug, not hostile input).</exception>
    public bool TryDecrypt(ReadOnlySpan<byte> message, out byte[]? plaintext, out SessionError error)
    {
        plaintext = null;
        if (!MessageFormat.TryParse(message, out MessageFormat.Envelope? envelope))
        {
            error = SessionError.InvalidMessage;
            return false;
        }

        error = envelope.Type == CiphertextMessageType.PreKey
            ? DecryptPreKeyMessage(message, envelope, out plaintext)
            : DecryptRatchetMessage(message, envelope, out plaintext);
        return error == SessionError.None;
    }

    private SessionError DecryptRatchetMessage(ReadOnlySpan<byte> message, MessageFormat.Envelope envelope, out byte[]? plaintext)
    {
        plaintext = null;
        SessionRecord? record = LoadRecord();
        if (record is null)
        {
            return SessionError.NoSession;
        }

        return DecryptWithRecord(record, [.. record.States], message, envelope, out plaintext);
    }

    /// <summary>
    /// Tries <paramref name="candidates"/> (current state first); the state that decrypts becomes current
    /// and, having heard from the contact, stops sending PreKey messages. Nothing changes on failure.
    /// </summary>
    private SessionError DecryptWithRecord(SessionRecord record, SessionState[] candidates, ReadOnlySpan<byte> message,
        MessageFormat.Envelope envelope, out byte[]? plaintext)
    {
        plaintext = null;
        SessionError error = SessionError.InvalidMessage;
        foreach (SessionState state in candidates)
        {
            if (envelope.Suite != state.Suite)
            {
                continue;
            }

            RatchetError result = state.Ratchet.TryDecrypt(message, envelope.PrefixLength, out plaintext);
            if (result == RatchetError.None)
            {
                InvalidateCache();
                state.PendingHeader = null;
                record.Promote(state);
                Commit(record);
                return SessionError.None;
            }

            if (error == SessionError.InvalidMessage)
            {
                error = Map(result);
            }
        }

        return error;
    }

    /// <summary>The current session, from the cache when the store still holds the bytes we last wrote. Owned by this cipher.</summary>
    private SessionRecord? LoadRecord()
    {
        byte[]? bytes = _sessions.LoadSession(_remoteAccountId);
        if (bytes is null)
        {
            InvalidateCache();
            return null;
        }

        if (_cachedRecord is not null && _cachedBytes is not null && _cachedBytes.AsSpan().SequenceEqual(bytes))
        {
            CryptographicOperations.ZeroMemory(bytes);
            return _cachedRecord;
        }

        InvalidateCache();
        if (!SessionRecord.TryParse(bytes, out SessionRecord? record))
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new InvalidOperationException("The stored session is corrupt.");
        }

        _cachedRecord = record;
        _cachedBytes = bytes;
        return record;
    }

    /// <summary>Stores <paramref name="record"/> and caches it with the bytes written. The cipher takes ownership.</summary>
    private void Commit(SessionRecord record)
    {
        byte[] bytes = record.Serialize();
        if (!ReferenceEquals(record, _cachedRecord))
        {
            InvalidateCache();
            _cachedRecord?.Dispose();
            _cachedRecord = record;
        }

        _sessions.StoreSession(_remoteAccountId, bytes);
        _cachedBytes = bytes;
    }

    /// <summary>Forgets the cached bytes so the next load re-parses from the store (used before any in-memory change).</summary>
    private void InvalidateCache()
    {
        if (_cachedBytes is not null)
        {
            CryptographicOperations.ZeroMemory(_cachedBytes);
            _cachedBytes = null;
        }
    }

    /// <summary>Wipes the cached session.</summary>
    public void Dispose()
    {
        InvalidateCache();
        _cachedRecord?.Dispose();
        _cachedRecord = null;
    }

    private static SessionError Map(RatchetError error) => error switch
    {
        RatchetError.DuplicateMessage => SessionError.DuplicateMessage,
        RatchetError.TooManySkipped => SessionError.TooManySkipped,
        _ => SessionError.InvalidMessage,
    };
}
