using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Keys;

namespace Parley.Crypto.Bundles;

/// <summary>
/// What an initiator fetches to start a session with an account: its identity key, signed prekey,
/// an optional one-time prekey, an ML-KEM-1024 prekey (one-time, or last-resort when none is left)
/// and its signed suite list. <see cref="Verify"/> checks every signature; an initiator must not use
/// a bundle that fails it (<c>HybridAgreement.Initiate</c> refuses one).
/// Encoding (PROTOCOL.md 3.3): version || tag 0x09 || account id (2-byte length + UTF-8) ||
/// identity key (130) || signed prekey (110) || one-time flag (1) || [one-time prekey (38)] ||
/// KEM prekey (1639) || suite list (2-byte length + bytes).
/// </summary>
public sealed class PreKeyBundle
{
    /// <summary>Upper bound on the encoded size, checked before parsing.</summary>
    public const int MaxSerializedSize = KeyFormat.HeaderSize + 2 + AccountIds.MaxUtf8Bytes + IdentityKey.SerializedSize +
        SignedPreKey.SerializedSize + 1 + OneTimePreKey.SerializedSize + KemPreKey.SerializedSize + 2 +
        SignedSuiteList.MaxSerializedSize;

    /// <summary>Assembles a bundle from already parsed parts (the server does this from stored uploads).</summary>
    /// <param name="accountId">The owner's normalized account id.</param>
    /// <param name="identityKey">The owner's identity.</param>
    /// <param name="signedPreKey">The current signed prekey.</param>
    /// <param name="oneTimePreKey">A one-time prekey, or null when none is left.</param>
    /// <param name="kemPreKey">A one-time ML-KEM prekey, or the last-resort one.</param>
    /// <param name="suites">The owner's signed suite list.</param>
    /// <exception cref="ArgumentException">The account id is not valid.</exception>
    public PreKeyBundle(
        string accountId,
        IdentityKey identityKey,
        SignedPreKey signedPreKey,
        OneTimePreKey? oneTimePreKey,
        KemPreKey kemPreKey,
        SignedSuiteList suites)
    {
        AccountIds.EncodeOrThrow(accountId, nameof(accountId));
        AccountId = accountId;
        IdentityKey = identityKey ?? throw new ArgumentNullException(nameof(identityKey));
        SignedPreKey = signedPreKey ?? throw new ArgumentNullException(nameof(signedPreKey));
        OneTimePreKey = oneTimePreKey;
        KemPreKey = kemPreKey ?? throw new ArgumentNullException(nameof(kemPreKey));
        Suites = suites ?? throw new ArgumentNullException(nameof(suites));
    }

    /// <summary>The owner's normalized account id.</summary>
    public string AccountId { get; }

    /// <summary>The owner's identity key (its self-signature is always verified).</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The signed X25519 prekey.</summary>
    public SignedPreKey SignedPreKey { get; }

    /// <summary>The one-time X25519 prekey, if the server had one left.</summary>
    public OneTimePreKey? OneTimePreKey { get; }

    /// <summary>The ML-KEM-1024 prekey (check <see cref="KemPreKey.IsLastResort"/>).</summary>
    public KemPreKey KemPreKey { get; }

    /// <summary>The owner's signed list of supported suites.</summary>
    public SignedSuiteList Suites { get; }

    /// <summary>True when every signature (signed prekey, KEM prekey, suite list) is the identity's. Never throws.</summary>
    public bool Verify() =>
        SignedPreKey.Verify(IdentityKey) && KemPreKey.Verify(IdentityKey) && Suites.Verify(IdentityKey);

    /// <summary>Parses a bundle; signatures other than the identity's self-signature are checked by <see cref="Verify"/>.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="bundle">The bundle, or null.</param>
    public static bool TryParse(ReadOnlySpan<byte> input, [NotNullWhen(true)] out PreKeyBundle? bundle)
    {
        bundle = null;
        OneTimePreKey? oneTime = null;
        var reader = new ByteReader(input);
        if (input.Length > MaxSerializedSize || !reader.TryReadHeader(KeyTypeTag.PreKeyBundle) ||
            !reader.TryReadLengthPrefixed(AccountIds.MaxUtf8Bytes, out var accountBytes) ||
            !AccountIds.TryDecode(accountBytes, out var accountId) ||
            !reader.TryReadBytes(IdentityKey.SerializedSize, out var identityBytes) ||
            !reader.TryReadBytes(SignedPreKey.SerializedSize, out var signedBytes) ||
            !reader.TryReadByte(out var hasOneTime) || hasOneTime > 1 ||
            (hasOneTime == 1 && (!reader.TryReadBytes(OneTimePreKey.SerializedSize, out var oneTimeBytes) ||
                                 !OneTimePreKey.TryParse(oneTimeBytes, out oneTime))) ||
            !reader.TryReadBytes(KemPreKey.SerializedSize, out var kemBytes) ||
            !reader.TryReadLengthPrefixed(SignedSuiteList.MaxSerializedSize, out var suiteBytes) ||
            !reader.IsEmpty)
        {
            return false;
        }

        if (!IdentityKey.TryParse(identityBytes, out var identity) ||
            !SignedPreKey.TryParse(signedBytes, out var signedPreKey) ||
            !KemPreKey.TryParse(kemBytes, out var kemPreKey) ||
            !SignedSuiteList.TryParse(suiteBytes, out var suites))
        {
            return false;
        }

        bundle = new PreKeyBundle(accountId, identity, signedPreKey, oneTime, kemPreKey, suites);
        return true;
    }

    /// <summary>Serializes the bundle.</summary>
    public byte[] Serialize()
    {
        var account = AccountIds.EncodeOrThrow(AccountId, nameof(AccountId));
        var suites = Suites.Serialize();
        var oneTime = OneTimePreKey?.Serialize() ?? [];
        var output = new byte[KeyFormat.HeaderSize + 2 + account.Length + IdentityKey.SerializedSize +
                              SignedPreKey.SerializedSize + 1 + oneTime.Length + KemPreKey.SerializedSize + 2 + suites.Length];
        KeyFormat.WriteHeader(output, KeyTypeTag.PreKeyBundle);
        var offset = KeyFormat.HeaderSize;
        offset = WriteLengthPrefixed(output, offset, account);
        offset = Write(output, offset, IdentityKey.Serialize());
        offset = Write(output, offset, SignedPreKey.Serialize());
        output[offset++] = OneTimePreKey is null ? (byte)0 : (byte)1;
        offset = Write(output, offset, oneTime);
        offset = Write(output, offset, KemPreKey.Serialize());
        WriteLengthPrefixed(output, offset, suites);
        return output;
    }

    /// <inheritdoc />
    public override string ToString() => nameof(PreKeyBundle);

    private static int Write(byte[] output, int offset, byte[] part)
    {
        part.CopyTo(output, offset);
        return offset + part.Length;
    }

    private static int WriteLengthPrefixed(byte[] output, int offset, byte[] part)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(offset), (ushort)part.Length);
        return Write(output, offset + 2, part);
    }
}
