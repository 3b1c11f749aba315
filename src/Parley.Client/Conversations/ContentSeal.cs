using Google.Protobuf;
using Parley.Client.Messaging;
using Parley.Crypto.Session;
using Parley.Wire;

namespace Parley.Client.Conversations;

/// <summary>
/// The one place a <see cref="MessageContent"/> becomes a relay <see cref="Send"/>: the
/// <c>--debug=plaintext</c> trace line, the Double Ratchet encryption and the envelope.
/// Call it inside the store transaction that also keeps what the caller needs kept, so the
/// advanced ratchet state and the caller's record commit together.
/// </summary>
internal static class ContentSeal
{
    /// <summary>
    /// Encrypts <paramref name="content"/> to <paramref name="peer"/> under message id <paramref name="id"/>.
    /// The envelope type is <paramref name="type"/> when given (receipts, typing, call signals),
    /// otherwise the prekey or ratchet type the ciphertext needs.
    /// </summary>
    public static Send Seal(ProfileContext context, SessionCipher cipher, string peer, MessageId id, MessageContent content, EnvelopeType? type = null)
    {
        var plaintext = content.ToBytes();
        context.Options.Trace?.Content(outgoing: true, peer, plaintext);
        var encrypted = cipher.Encrypt(plaintext);
        return new Send
        {
            MessageId = ByteString.CopyFrom(id.ToBytes()),
            Recipient = peer,
            Type = type ?? (encrypted.Type == CiphertextMessageType.PreKey ? EnvelopeType.PrekeyMessage : EnvelopeType.RatchetMessage),
            Ciphertext = ByteString.CopyFrom(encrypted.Bytes.Span),
        };
    }
}
