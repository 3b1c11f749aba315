using Parley.Crypto.Keys;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Session;

/// <summary>
/// Encrypts and decrypts the messages of one conversation (ours with <c>remoteAccountId</c>). State
/// lives in the stores and is written only after success, so a refused message changes nothing.
/// Not thread-safe: use one cipher per conversation at a time.
/// </summary>
public sealed partial class SessionCipher
{
    private readonly IIdentityStore _identities;
    private readonly IPreKeyStore _preKeys;
    private readonly ISessionStore _sessions;
    private readonly string _remoteAccountId;

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
    /// contact's trusted identity key no longer matches the session's (sending is blocked until the user acts).
    /// </exception>
    public CiphertextMessage Encrypt(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length > MessageFormat.MaxPlaintextLength)
        {
            throw new ArgumentException("The plaintext is too long.", nameof(plaintext));
        }

        using SessionRecord record = LoadRecord() ?? throw new SessionException(SessionError.NoSession);
        IdentityKey? trusted = _identities.GetRemoteIdentity(_remoteAccountId);
        if (trusted is null || !trusted.Equals(record.RemoteIdentity))
        {
            throw new SessionException(SessionError.UntrustedIdentity);
        }

        if (!record.Ratchet.CanEncrypt)
        {
            throw new SessionException(SessionError.NoSession);
        }

        byte[] prefix = MessageFormat.Prefix(record.Suite, record.PendingHeader);
        byte[] message = record.Ratchet.Encrypt(prefix, plaintext);
        _sessions.StoreSession(_remoteAccountId, record.Serialize());
        return new CiphertextMessage(record.PendingHeader is null ? CiphertextMessageType.Ratchet : CiphertextMessageType.PreKey, message);
    }

    /// <summary>
    /// Authenticates and decrypts a message from the contact. A PreKey message from a new session
    /// creates it (consuming the one-time prekeys it used); any failure leaves every store unchanged.
    /// </summary>
    /// <param name="message">The untrusted wire bytes.</param>
    /// <param name="plaintext">The plaintext on success, otherwise null.</param>
    /// <param name="error">Why the message was refused, or <see cref="SessionError.None"/>.</param>
    /// <returns>True when the message decrypted.</returns>
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
        using SessionRecord? record = LoadRecord();
        if (record is null)
        {
            return SessionError.NoSession;
        }

        return DecryptWithRecord(record, message, envelope, out plaintext);
    }

    /// <summary>Decrypts with an existing record; on success the responder has answered, so PreKey headers stop.</summary>
    private SessionError DecryptWithRecord(SessionRecord record, ReadOnlySpan<byte> message, MessageFormat.Envelope envelope,
        out byte[]? plaintext)
    {
        plaintext = null;
        if (envelope.Suite != record.Suite)
        {
            return SessionError.InvalidMessage;
        }

        RatchetError result = record.Ratchet.TryDecrypt(message, envelope.PrefixLength, out plaintext);
        if (result != RatchetError.None)
        {
            return Map(result);
        }

        record.PendingHeader = null;
        _sessions.StoreSession(_remoteAccountId, record.Serialize());
        return SessionError.None;
    }

    private SessionRecord? LoadRecord()
    {
        byte[]? bytes = _sessions.LoadSession(_remoteAccountId);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return SessionRecord.TryParse(bytes, out SessionRecord? record)
                ? record
                : throw new InvalidOperationException("The stored session is corrupt.");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static SessionError Map(RatchetError error) => error switch
    {
        RatchetError.DuplicateMessage => SessionError.DuplicateMessage,
        RatchetError.TooManySkipped => SessionError.TooManySkipped,
        _ => SessionError.InvalidMessage,
    };
}
