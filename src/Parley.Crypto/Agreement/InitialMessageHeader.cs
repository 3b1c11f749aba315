using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Agreement;

/// <summary>
/// The agreement fields the first message of a session carries from initiator to responder.
/// Encoding (PROTOCOL.md 4.4): version || tag 0x0B || suite (1) || initiator account id (2-byte
/// length + UTF-8) || initiator identity key (130) || ephemeral key (32) || signed prekey id (4) ||
/// flags (1; bit 0 = one-time prekey used) || [one-time prekey id (4)] || KEM prekey id (4) ||
/// KEM ciphertext (1568). All public; the header as encoded is hashed into the key derivation.
/// </summary>
public sealed class InitialMessageHeader
{
    /// <summary>Upper bound on the encoded size, checked before parsing.</summary>
    public const int MaxSerializedSize = KeyFormat.HeaderSize + 1 + 2 + AccountIds.MaxUtf8Bytes + IdentityKey.SerializedSize +
        X25519.PublicKeySize + 4 + 1 + 4 + 4 + MlKem1024.CiphertextSize;

    private const byte OneTimePreKeyFlag = 0x01;
    private readonly byte[] _ephemeralKey;
    private readonly byte[] _kemCiphertext;
    private readonly byte[] _encoded;

    internal InitialMessageHeader(
        CipherSuite suite,
        string initiatorAccountId,
        IdentityKey initiatorIdentity,
        byte[] ephemeralKey,
        SignedPreKeyId signedPreKeyId,
        PreKeyId? oneTimePreKeyId,
        KemPreKeyId kemPreKeyId,
        byte[] kemCiphertext)
    {
        Suite = suite;
        InitiatorAccountId = initiatorAccountId;
        InitiatorIdentity = initiatorIdentity;
        _ephemeralKey = ephemeralKey;
        SignedPreKeyId = signedPreKeyId;
        OneTimePreKeyId = oneTimePreKeyId;
        KemPreKeyId = kemPreKeyId;
        _kemCiphertext = kemCiphertext;
        _encoded = Encode();
    }

    /// <summary>The negotiated suite.</summary>
    public CipherSuite Suite { get; }

    /// <summary>The initiator's account id as it claims it; the session layer must check it against the sender.</summary>
    public string InitiatorAccountId { get; }

    /// <summary>The initiator's identity key (self-signature verified).</summary>
    public IdentityKey InitiatorIdentity { get; }

    /// <summary>The initiator's 32-byte ephemeral X25519 public key.</summary>
    public ReadOnlySpan<byte> EphemeralKey => _ephemeralKey;

    /// <summary>The responder's signed prekey used.</summary>
    public SignedPreKeyId SignedPreKeyId { get; }

    /// <summary>The responder's one-time prekey used, if any.</summary>
    public PreKeyId? OneTimePreKeyId { get; }

    /// <summary>The responder's ML-KEM prekey used.</summary>
    public KemPreKeyId KemPreKeyId { get; }

    /// <summary>The 1568-byte ML-KEM ciphertext.</summary>
    public ReadOnlySpan<byte> KemCiphertext => _kemCiphertext;

    internal ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>Parses a header. Checks structure, the identity's self-signature and the ephemeral key. Never throws.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="header">The header, or null.</param>
    public static bool TryParse(ReadOnlySpan<byte> input, [NotNullWhen(true)] out InitialMessageHeader? header)
    {
        header = null;
        PreKeyId? oneTimeId = null;
        var reader = new ByteReader(input);
        if (input.Length > MaxSerializedSize || !reader.TryReadHeader(KeyTypeTag.InitialMessageHeader) ||
            !reader.TryReadByte(out var suite) ||
            !reader.TryReadLengthPrefixed(AccountIds.MaxUtf8Bytes, out var accountBytes) ||
            !AccountIds.TryDecode(accountBytes, out var accountId) ||
            !reader.TryReadBytes(IdentityKey.SerializedSize, out var identityBytes) ||
            !reader.TryReadBytes(X25519.PublicKeySize, out var ephemeral) ||
            !reader.TryReadUInt32(out var signedId) || !reader.TryReadByte(out var flags) ||
            (flags & ~OneTimePreKeyFlag) != 0)
        {
            return false;
        }

        if (flags == OneTimePreKeyFlag)
        {
            if (!reader.TryReadUInt32(out var id))
            {
                return false;
            }

            oneTimeId = new PreKeyId(id);
        }

        if (!reader.TryReadUInt32(out var kemId) || !reader.TryReadBytes(MlKem1024.CiphertextSize, out var ciphertext) ||
            !reader.IsEmpty || !X25519.IsAcceptablePublicKey(ephemeral) ||
            !IdentityKey.TryParse(identityBytes, out var identity))
        {
            return false;
        }

        header = new InitialMessageHeader((CipherSuite)suite, accountId, identity, ephemeral.ToArray(),
            new SignedPreKeyId(signedId), oneTimeId, new KemPreKeyId(kemId), ciphertext.ToArray());
        return true;
    }

    /// <summary>Serializes the header.</summary>
    public byte[] Serialize() => (byte[])_encoded.Clone();

    /// <inheritdoc />
    public override string ToString() => nameof(InitialMessageHeader);

    private byte[] Encode()
    {
        var account = AccountIds.EncodeOrThrow(InitiatorAccountId, nameof(InitiatorAccountId));
        var oneTime = OneTimePreKeyId is not null;
        var output = new byte[KeyFormat.HeaderSize + 1 + 2 + account.Length + IdentityKey.SerializedSize + X25519.PublicKeySize +
                              4 + 1 + (oneTime ? 4 : 0) + 4 + MlKem1024.CiphertextSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.InitialMessageHeader);
        var span = output.AsSpan(KeyFormat.HeaderSize);
        span[0] = (byte)Suite;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)account.Length);
        span = span[3..];
        account.CopyTo(span);
        span = span[account.Length..];
        InitiatorIdentity.Serialize().CopyTo(span);
        span = span[IdentityKey.SerializedSize..];
        _ephemeralKey.CopyTo(span);
        span = span[X25519.PublicKeySize..];
        BinaryPrimitives.WriteUInt32BigEndian(span, SignedPreKeyId.Value);
        span[4] = oneTime ? OneTimePreKeyFlag : (byte)0;
        span = span[5..];
        if (OneTimePreKeyId is { } id)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, id.Value);
            span = span[4..];
        }

        BinaryPrimitives.WriteUInt32BigEndian(span, KemPreKeyId.Value);
        _kemCiphertext.CopyTo(span[4..]);
        return output;
    }
}
