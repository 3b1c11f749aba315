using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Session;

/// <summary>
/// The message envelope (docs/PROTOCOL.md section 6): version (u8) || suite (u8) || type (u8) ||
/// [PreKey only: agreement header length (u16) || agreement header] || ratchet header (40) ||
/// AEAD ciphertext. Everything before the ciphertext is authenticated as associated data.
/// </summary>
public static class MessageFormat
{
    /// <summary>Envelope version.</summary>
    public const byte Version = 1;

    /// <summary>Largest message accepted, checked before any parsing (1 MiB).</summary>
    public const int MaxMessageLength = 1024 * 1024;

    /// <summary>Largest plaintext a message may carry.</summary>
    public const int MaxPlaintextLength = MaxMessageLength - 4096 - InitialMessageHeader.MaxSerializedSize;

    internal const int FixedPrefixLength = 3;

    internal static byte[] Prefix(CipherSuite suite, byte[]? initialHeader)
    {
        if (initialHeader is null)
        {
            return [Version, (byte)suite, (byte)CiphertextMessageType.Ratchet];
        }

        byte[] prefix = new byte[FixedPrefixLength + 2 + initialHeader.Length];
        prefix[0] = Version;
        prefix[1] = (byte)suite;
        prefix[2] = (byte)CiphertextMessageType.PreKey;
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(3), (ushort)initialHeader.Length);
        initialHeader.CopyTo(prefix, 5);
        return prefix;
    }

    /// <summary>
    /// Reads the initiator's account id and identity key from a PreKey message without decrypting it,
    /// e.g. to show the new safety number after <see cref="SessionError.UntrustedIdentity"/>. The values
    /// are NOT authenticated until the message decrypts: trust the key only after the user verified it.
    /// </summary>
    /// <param name="message">Untrusted wire bytes.</param>
    /// <param name="accountId">The claimed initiator account id.</param>
    /// <param name="identityKey">The claimed initiator identity key (its self-signature is verified).</param>
    /// <returns>False when the bytes are not a well-formed PreKey message.</returns>
    public static bool TryReadPreKeySender(ReadOnlySpan<byte> message, [NotNullWhen(true)] out string? accountId,
        [NotNullWhen(true)] out Parley.Crypto.Keys.IdentityKey? identityKey)
    {
        accountId = null;
        identityKey = null;
        if (!TryParse(message, out Envelope? envelope) || envelope.InitialHeader is null)
        {
            return false;
        }

        accountId = envelope.InitialHeader.InitiatorAccountId;
        identityKey = envelope.InitialHeader.InitiatorIdentity;
        return true;
    }

    /// <summary>Parses the envelope of an untrusted message; never throws.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> message, [NotNullWhen(true)] out Envelope? envelope)
    {
        envelope = null;
        if (message.Length < FixedPrefixLength + RatchetHeader.Length || message.Length > MaxMessageLength ||
            message[0] != Version || !CipherSuites.IsKnown((CipherSuite)message[1]))
        {
            return false;
        }

        var suite = (CipherSuite)message[1];
        switch ((CiphertextMessageType)message[2])
        {
            case CiphertextMessageType.Ratchet:
                envelope = new Envelope(suite, CiphertextMessageType.Ratchet, null, FixedPrefixLength);
                return true;
            case CiphertextMessageType.PreKey:
                if (message.Length < FixedPrefixLength + 2)
                {
                    return false;
                }

                int headerLength = BinaryPrimitives.ReadUInt16BigEndian(message[FixedPrefixLength..]);
                int prefixLength = FixedPrefixLength + 2 + headerLength;
                if (headerLength > InitialMessageHeader.MaxSerializedSize || message.Length < prefixLength + RatchetHeader.Length ||
                    !InitialMessageHeader.TryParse(message.Slice(FixedPrefixLength + 2, headerLength), out InitialMessageHeader? header) ||
                    header.Suite != suite)
                {
                    return false;
                }

                envelope = new Envelope(suite, CiphertextMessageType.PreKey, header, prefixLength);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A parsed envelope: suite, type, the agreement header of a PreKey message, and where the ratchet part starts.</summary>
    internal sealed record Envelope(CipherSuite Suite, CiphertextMessageType Type, InitialMessageHeader? InitialHeader, int PrefixLength);
}
