using System.Text;
using Parley.Client.Messaging;
using Parley.Client.Transfers;
using Parley.Client.Transport;

namespace Parley.Fuzz.Targets;

/// <summary>
/// What the client decodes from a decrypted message (its content, a file pointer inside a text) and
/// the server fingerprint a user pastes. Their plaintext is attacker-chosen: a contact (or a stranger
/// whose first message decrypts) writes it. All are Try-style: never an exception.
/// </summary>
internal static class ClientTargets
{
    public static IEnumerable<FuzzTarget> All()
    {
        using var pointer = new FilePointer(new string('a', FilePointer.BlobIdChars), new byte[FilePointer.KeyBytes], 123_456, new byte[FilePointer.DigestBytes],
            64 * 1024, 1, "holiday photo.jpg", "image/jpeg");
        var pointerJson = pointer.ToJson();
        var id = new MessageId(Guid.ParseExact("0123456789abcdef0123456789abcdef", "N"));
        var callId = Parley.Client.Calls.CallId.TryParse("00112233445566778899aabbccddeeff", out var parsedCallId) ? parsedCallId : default;
        yield return new FuzzTarget("Client.MessageContent", input =>
        {
            if (MessageContent.TryParse(input, out var content))
            {
                content.File?.Dispose();
            }
        },
        [
            new MessageContent { Kind = ContentKind.Text, Id = id, SentAtMs = 1_700_000_000_000, Text = "hello" }.ToBytes(),
            new MessageContent { Kind = ContentKind.Receipt, Id = id, SentAtMs = 1, Receipt = ReceiptKind.Read, Ids = [id, default] }.ToBytes(),
            new MessageContent { Kind = ContentKind.Typing, Id = id, SentAtMs = 1, Typing = true }.ToBytes(),
            new MessageContent { Kind = ContentKind.File, Id = id, SentAtMs = 1, File = pointer }.ToBytes(),
            MessageContent.ForCall(id, 1, new Parley.Client.Calls.CallHangup(callId, Parley.Client.Calls.HangupReason.NoAnswer)).ToBytes(),
        ]);
        yield return new FuzzTarget("Client.FilePointer", input =>
        {
            if (FilePointer.TryParse(Encoding.UTF8.GetString(input), out var file))
            {
                file.Dispose();
            }
        }, [Encoding.UTF8.GetBytes(pointerJson)]);
        yield return new FuzzTarget("Client.FileMessageText", input =>
        {
            var text = Encoding.UTF8.GetString(input);
            if (FileMessageText.TryParse(text, out var file))
            {
                file.Dispose();
            }

            _ = FileMessageText.ForDisplay(text, "0123456789abcdef0123456789abcdef");
        }, [Encoding.UTF8.GetBytes(FileMessageText.Prefix + pointerJson), "plain text"u8.ToArray()]);
        yield return new FuzzTarget("Client.ServerFingerprint", input => _ = ServerFingerprint.TryParse(Encoding.UTF8.GetString(input), out _),
            [Encoding.UTF8.GetBytes("SHA256:" + new string('a', 64)), Encoding.UTF8.GetBytes("sha256:" + string.Join(':', Enumerable.Repeat("ab", 32)))]);
    }
}
