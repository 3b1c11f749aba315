using System.Text;
using Parley.Crypto.Attachments;
using Parley.Crypto.Session;

namespace Parley.Crypto.Tests.Session;

public sealed class SecretHygieneTests
{
    [Fact]
    public void Session_objects_and_errors_reveal_no_keys_plaintext_or_account_names()
    {
        using var alice = new SessionParty("alice-account");
        using var bob = new SessionParty("bob-account");
        alice.StartSessionWith(bob);
        CiphertextMessage message = alice.Send(bob, "secret plaintext");
        SessionCipher cipher = bob.CipherWith(alice);
        cipher.TryDecrypt(message.Bytes.Span, out _, out _);
        byte[] state = bob.SessionBytes(alice)!;

        string[] rendered =
        [
            message.ToString(),
            cipher.ToString()!,
            new SessionException(SessionError.UntrustedIdentity).Message,
            new AttachmentCorruptException(AttachmentError.DigestMismatch).Message,
            bob.Identities.GetIdentityKeyPair().ToString(),
        ];
        foreach (string text in rendered)
        {
            Assert.DoesNotContain("alice-account", text, StringComparison.Ordinal);
            Assert.DoesNotContain("bob-account", text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret plaintext", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(state.AsSpan(0, 8)), text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("CiphertextMessage(PreKey, " + message.Bytes.Length + " bytes)", message.ToString());
        Assert.DoesNotContain("secret plaintext", Encoding.UTF8.GetString(state), StringComparison.Ordinal);
    }
}
