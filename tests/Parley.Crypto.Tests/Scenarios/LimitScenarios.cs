using Parley.Crypto.Attachments;
using Parley.Crypto.Fingerprint;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Scenarios;

public sealed class LimitScenarios
{
    [Fact]
    public void A_plaintext_of_MaxPlaintextLength_travels_and_one_byte_more_is_refused()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        byte[] largest = new byte[MessageFormat.MaxPlaintextLength];
        largest[^1] = 42;
        CiphertextMessage message = alice.CipherWith(bob).Encrypt(largest);
        Assert.True(message.Bytes.Length <= MessageFormat.MaxMessageLength);
        Assert.True(bob.CipherWith(alice).TryDecrypt(message.Bytes.Span, out byte[]? plaintext, out _));
        Assert.Equal(largest, plaintext);
        Assert.Throws<ArgumentException>(() => alice.CipherWith(bob).Encrypt(new byte[MessageFormat.MaxPlaintextLength + 1]));
    }

    [Fact]
    public void A_message_one_byte_over_MaxMessageLength_is_refused_before_parsing()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        byte[] message = alice.Send(bob, "x").ToArray();
        byte[] oversized = new byte[MessageFormat.MaxMessageLength + 1];
        message.CopyTo(oversized, 0);
        Assert.Equal(SessionError.InvalidMessage, bob.Refuse(alice, oversized));
    }

    [Theory]
    [InlineData(AttachmentFormat.MinChunkSize, true)]
    [InlineData(AttachmentFormat.MinChunkSize - 1, false)]
    [InlineData(AttachmentFormat.MaxChunkSize, true)]
    [InlineData(AttachmentFormat.MaxChunkSize + 1, false)]
    public void Attachment_chunk_sizes_are_accepted_up_to_the_bounds(int chunkSize, bool accepted)
    {
        using var key = AttachmentKey.Generate();
        if (!accepted)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new AttachmentEncryptingStream(new MemoryStream(), key, chunkSize: chunkSize));
            return;
        }

        byte[] plaintext = new byte[chunkSize + 3];
        using var encrypted = new MemoryStream();
        new AttachmentEncryptingStream(new MemoryStream(plaintext), key, chunkSize: chunkSize).CopyTo(encrypted);
        using var decrypting = new AttachmentDecryptingStream(new MemoryStream(encrypted.ToArray()), key);
        using var output = new MemoryStream();
        decrypting.CopyTo(output);
        Assert.Equal(plaintext, output.ToArray());
    }

    [Fact]
    public void Account_ids_of_exactly_MaxAccountIdBytes_are_accepted()
    {
        byte[] key = new byte[32];
        var identity = new FingerprintIdentity(new string('a', FingerprintIdentity.MaxAccountIdBytes), key, key);
        Assert.Equal(FingerprintIdentity.MaxAccountIdBytes, identity.AccountId.Length);
    }
}
