namespace Parley.Client.Errors;

/// <summary>
/// The failures a user of the client can meet. Each kind maps to exactly one sentence in the
/// command line (see <c>Parley.Cli</c>), so the set is deliberately small and user-facing.
/// </summary>
public enum ClientErrorKind
{
    /// <summary>The server could not be reached (DNS, refused connection, timeout, TLS failure other than a pin mismatch).</summary>
    ServerUnreachable,

    /// <summary>The server could not be reached after an outgoing message was stored; the outbox sends it on the next connection.</summary>
    ServerUnreachableMessageQueued,

    /// <summary>The password did not unlock the local store or the server rejected the login proof.</summary>
    WrongPassword,

    /// <summary>The peer is not an accepted contact.</summary>
    NotAContact,

    /// <summary>The peer blocked us, or we blocked the peer.</summary>
    Blocked,

    /// <summary>The contact's identity key changed since we first saw it; sending is refused until trusted again.</summary>
    KeyChanged,

    /// <summary>No profile is logged in (or its unlocked key was forgotten).</summary>
    NotLoggedIn,

    /// <summary>The named user does not exist on the server.</summary>
    UserDoesNotExist,

    /// <summary>The server presented a certificate whose fingerprint differs from the pinned one.</summary>
    CertificateChanged,

    /// <summary>The server's certificate has never been trusted and no fingerprint was supplied.</summary>
    CertificateNotTrusted,

    /// <summary>The user name is already registered.</summary>
    UserExists,

    /// <summary>The password is too weak to be accepted.</summary>
    WeakPassword,

    /// <summary>The request was refused by the server for a reason the client cannot fix (rate limit, policy).</summary>
    Refused,

    /// <summary>The server's answer did not make sense (protocol violation, failed server proof, malformed data).</summary>
    ProtocolViolation,

    /// <summary>The local store is damaged or was tampered with.</summary>
    StoreCorrupt,

    /// <summary>A profile already exists where a new one was to be created.</summary>
    ProfileExists,

    /// <summary>The profile was created on another server than the one named.</summary>
    ProfileOnOtherServer,

    /// <summary>The user supplied an invalid argument (empty text, bad user name, bad fingerprint).</summary>
    InvalidInput,

    /// <summary>The server has no TURN relay configured, so calls are not available on it.</summary>
    CallsNotConfigured,

    /// <summary>A call is already in progress on this profile (a second one cannot start).</summary>
    CallBusy,

    /// <summary>No call in progress matches the request (it ended, or is in another state).</summary>
    NoSuchCall,

    /// <summary>
    /// The account's identity was replaced by a login from another installation: this profile's keys
    /// are no longer the account's, so it does not connect (it would take messages it cannot decrypt).
    /// </summary>
    IdentityReplaced,

    /// <summary>
    /// Accept or decline found no pending request from that user. The server answers the same for a
    /// user who does not exist, so this says nothing about existence.
    /// </summary>
    NoPendingRequest,
}
