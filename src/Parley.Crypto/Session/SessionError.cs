namespace Parley.Crypto.Session;

/// <summary>Why the session layer refused a message or bundle. In every case no state changed.</summary>
public enum SessionError
{
    /// <summary>Success.</summary>
    None = 0,

    /// <summary>Malformed, forged, tampered, re-addressed, wrong suite or version: all look the same.</summary>
    InvalidMessage = 1,

    /// <summary>Already decrypted, or its key was discarded as the oldest skipped key.</summary>
    DuplicateMessage = 2,

    /// <summary>The message skips more messages than the ratchet's bounds allow.</summary>
    TooManySkipped = 3,

    /// <summary>The remote identity key differs from the trusted one: the user must verify or accept it first.</summary>
    UntrustedIdentity = 4,

    /// <summary>There is no session with this contact (a ratchet message before any prekey message, or nothing to send with).</summary>
    NoSession = 5,

    /// <summary>A prekey message names a prekey we do not have (already consumed, e.g. a replay, or rotated away).</summary>
    UnknownPreKey = 6,

    /// <summary>A prekey bundle is malformed, for another account, or a signature does not verify.</summary>
    InvalidPreKeyBundle = 7,

    /// <summary>The bundle's signed suite list shares no cipher suite with ours.</summary>
    NoCommonCipherSuite = 8,
}

/// <summary>Thrown when sending is impossible (no session, untrusted identity). The message never carries user data.</summary>
public sealed class SessionException : CryptoException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <param name="error">Why the operation was refused.</param>
    public SessionException(SessionError error)
        : base("The session operation was refused: " + error + ".") => Error = error;

    /// <summary>Creates the exception with a generic reason.</summary>
    public SessionException()
        : this(SessionError.InvalidMessage)
    {
    }

    /// <summary>Creates the exception with a data-free message.</summary>
    /// <param name="message">A fixed description.</param>
    public SessionException(string message)
        : base(message) => Error = SessionError.InvalidMessage;

    /// <summary>Creates the exception with a data-free message and cause.</summary>
    /// <param name="message">A fixed description.</param>
    /// <param name="innerException">The cause.</param>
    public SessionException(string message, Exception innerException)
        : base(message, innerException) => Error = SessionError.InvalidMessage;

    /// <summary>Why the operation was refused.</summary>
    public SessionError Error { get; }
}
