using System.Security.Cryptography;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;

namespace Parley.Crypto.Agreement;

/// <summary>
/// What a completed agreement hands to the ratchet: the 32-byte initial root key, the associated
/// data every message of the session must authenticate, the suite, and the public material the
/// first DH ratchet step needs. Secret: sealed, disposable, wiped, prints only its type name.
/// </summary>
public sealed class AgreementResult : IDisposable
{
    /// <summary>Length of the root key in bytes.</summary>
    public const int RootKeySize = 32;

    private readonly byte[] _rootKey;
    private readonly byte[] _associatedData;
    private readonly byte[] _signedPreKeyPublic;
    private bool _disposed;

    internal AgreementResult(
        byte[] rootKey,
        byte[] associatedData,
        byte[] signedPreKeyPublic,
        IdentityKey remoteIdentity,
        string remoteAccountId,
        InitialMessageHeader header)
    {
        _rootKey = rootKey;
        _associatedData = associatedData;
        _signedPreKeyPublic = signedPreKeyPublic;
        RemoteIdentity = remoteIdentity;
        RemoteAccountId = remoteAccountId;
        Header = header;
    }

    /// <summary>The 32-byte initial root key (SK). Copy it into the ratchet state; it is wiped on dispose.</summary>
    public ReadOnlySpan<byte> RootKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _rootKey;
        }
    }

    /// <summary>
    /// The session's associated data: both account ids and both identity keys, initiator first
    /// (PROTOCOL.md 4.2). Every message AEAD of the session must cover it.
    /// </summary>
    public ReadOnlySpan<byte> AssociatedData => _associatedData;

    /// <summary>The negotiated suite.</summary>
    public CipherSuite Suite => Header.Suite;

    /// <summary>
    /// The responder's signed prekey public key: the initiator's first remote ratchet key; on the
    /// responder's side its own first ratchet key pair is the matching <see cref="SignedPreKeyRecord.KeyPair"/>.
    /// </summary>
    public ReadOnlySpan<byte> SignedPreKeyPublic => _signedPreKeyPublic;

    /// <summary>The other party's identity key (to check against the trusted one, TOFU).</summary>
    public IdentityKey RemoteIdentity { get; }

    /// <summary>The other party's account id.</summary>
    public string RemoteAccountId { get; }

    /// <summary>
    /// The header of the first message: created by the initiator (send it), consumed by the
    /// responder (its prekey ids say which one-time keys to delete once the first message decrypts).
    /// </summary>
    public InitialMessageHeader Header { get; }

    /// <summary>Wipes the root key.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_rootKey);
    }

    /// <inheritdoc />
    public override string ToString() => nameof(AgreementResult);
}
