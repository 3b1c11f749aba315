using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;
using Parley.Crypto.Ratchet;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Infrastructure;
using Parley.Crypto.Tests.Ratchet;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// attacks.md row 32 (P1), "Malformed wire messages crash the parser" (vodozemac afl/*, openmls
/// fuzz_targets/*): every wire and storage decoder of Parley.Crypto — keys, key records, bundle, suite
/// list, initial header, ratchet header, message envelope, ratchet state, session record, attachment
/// header and the whole attachment stream — is fed seeded mutations of a VALID encoding. No exception
/// escapes (a decoder says false or returns a typed error), and the stateful ones change no state:
/// the session record and the prekey store are byte-identical after every refused message, and the
/// genuine message still decrypts afterwards.
/// </summary>
public sealed class MalformedWireMessagesTests
{
    private const int Seed = 0x5EED_0032;
    private const int MutationsPerDecoder = 1500;

    public static TheoryData<string> DecoderNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Decoders.All.Keys.Order(StringComparer.Ordinal))
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(DecoderNames))]
    public void Mutated_valid_encodings_never_throw(string decoder)
    {
        var (parse, valids) = Decoders.All[decoder];
        var valid = valids[0];
        Assert.True(parse(valid), "the unmutated encoding must parse, or the mutations prove nothing");
        var mutator = new Mutator(Seed ^ decoder.GetHashCode(StringComparison.Ordinal) & 0xFFFF ^ decoder.Length);
        var accepted = 0;
        for (var i = 0; i < MutationsPerDecoder; i++)
        {
            var input = mutator.Mutate(valid);
            var exception = Record.Exception(() => accepted += parse(input) ? 1 : 0);
            Assert.True(exception is null, $"{decoder}: mutation {i} ({Convert.ToHexString(input)}) threw {exception}");
        }

        // Envelope and header decoders only frame (the AEAD authenticates later), so many mutations
        // still parse; but some must be refused, or the mutations never reached a check.
        Assert.True(accepted < MutationsPerDecoder, $"{decoder} accepted all {MutationsPerDecoder} mutations");
    }

    [Fact]
    public void Mutated_messages_are_refused_and_change_neither_the_session_nor_the_prekeys()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        var first = alice.Send(bob, "first").ToArray();
        FuzzReceive(bob, alice, first, "first", seed: Seed + 1);

        var reply = bob.Send(alice, "reply").ToArray();
        FuzzReceive(alice, bob, reply, "reply", seed: Seed + 2);

        var within = alice.Send(bob, "same chain").ToArray();
        var next = alice.Send(bob, "next").ToArray();
        FuzzReceive(bob, alice, next, "next", seed: Seed + 3);
        Assert.Equal("same chain", bob.Receive(alice, within));
    }

    private static void FuzzReceive(SessionParty receiver, SessionParty sender, byte[] genuine, string text, int seed)
    {
        var mutator = new Mutator(seed);
        var session = receiver.SessionBytes(sender);
        var (oneTime, kem) = (receiver.PreKeys.OneTimePreKeyCount, receiver.PreKeys.KemPreKeyCount);
        for (var i = 0; i < 400; i++)
        {
            var forged = mutator.Mutate(genuine);
            byte[]? plaintext = null;
            var ok = true;
            var exception = Record.Exception(() => ok = receiver.CipherWith(sender).TryDecrypt(forged, out plaintext, out _));
            Assert.True(exception is null, $"mutation {i} threw {exception}");
            Assert.False(ok, $"mutation {i} ({Convert.ToHexString(forged)}) was accepted");
            Assert.Null(plaintext);
            Assert.Equal(session, receiver.SessionBytes(sender));
            Assert.Equal((oneTime, kem), (receiver.PreKeys.OneTimePreKeyCount, receiver.PreKeys.KemPreKeyCount));
        }

        Assert.Equal(text, receiver.Receive(sender, genuine));
    }

    [Theory]
    [InlineData(AeadAlgorithm.ChaCha20Poly1305)]
    [InlineData(AeadAlgorithm.Aes256Gcm)]
    public async Task Mutated_attachment_streams_give_a_typed_error_not_an_exception(AeadAlgorithm algorithm)
    {
        var timeout = TimeSpan.FromSeconds(30);
        using var key = AttachmentKey.FromBytes(Enumerable.Range(0, AttachmentKey.Length).Select(i => (byte)i).ToArray());
        var plaintext = Enumerable.Range(0, 3 * 1024 + 100).Select(i => (byte)(i * 7)).ToArray();
        using var encrypted = new MemoryStream();
        var result = await AttachmentCipher.EncryptAsync(new MemoryStream(plaintext), encrypted, key, algorithm, AttachmentFormat.MinChunkSize)
            .WaitAsync(timeout);
        var valid = encrypted.ToArray();
        var mutator = new Mutator(Seed + (int)algorithm);
        for (var i = 0; i < 300; i++)
        {
            var forged = mutator.Mutate(valid);
            foreach (var digest in (byte[]?[])[null, result.CiphertextSha256])
            {
                var error = await AttachmentCipher.DecryptAsync(new MemoryStream(forged), Stream.Null, key, digest).WaitAsync(timeout);
                Assert.NotEqual(AttachmentError.None, error);
            }
        }

        using var output = new MemoryStream();
        Assert.Equal(AttachmentError.None, await AttachmentCipher.DecryptAsync(new MemoryStream(valid), output, key, result.CiphertextSha256).WaitAsync(timeout));
        Assert.Equal(plaintext, output.ToArray());
    }
}
