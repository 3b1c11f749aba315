using System.Text;
using Parley.Crypto.Ratchet;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// attacks.md row 11 (P0), AEAD nonce reuse ("Nonce-Disrespecting Adversaries"): every message is
/// sealed under its own message key, so (key, nonce) can only repeat if a chain position is used
/// twice. Over 3,000 messages with the same plaintext, across DH steps, no (ratchet key, message
/// number) position and no ciphertext repeats; and the sending state is committed to the store
/// before a ciphertext is released, so a store that fails to save leaves no ciphertext behind whose
/// position the next message would reuse.
/// </summary>
public sealed class NonceReuseTests
{
    [Fact]
    public void No_chain_position_or_ciphertext_repeats_over_thousands_of_identical_plaintexts()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        var positions = new HashSet<string>(StringComparer.Ordinal);
        var bodies = new HashSet<string>(StringComparer.Ordinal);
        for (var turn = 0; turn < 30; turn++)
        {
            var (from, to) = turn % 2 == 0 ? (alice, bob) : (bob, alice);
            for (var i = 0; i < 100; i++)
            {
                var message = from.Send(to, "same plaintext every time").ToArray();
                Assert.True(MessageFormat.TryParse(message, out var envelope));
                var ratchet = message.AsSpan(envelope.PrefixLength);
                Assert.True(RatchetHeader.TryParse(ratchet[..RatchetHeader.Length], out var header));
                Assert.True(positions.Add(Convert.ToHexString(header.RatchetKey) + "/" + header.MessageNumber), "chain position reused");
                Assert.True(bodies.Add(Convert.ToHexString(ratchet[RatchetHeader.Length..])), "ciphertext repeated");
                if (i == 99)
                {
                    Assert.Equal("same plaintext every time", to.Receive(from, message));
                }
            }
        }

        Assert.Equal(3_000, positions.Count);
    }

    [Fact]
    public void A_store_that_cannot_save_gets_no_ciphertext_out_and_the_position_is_used_once()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        var failing = new FailingSessionStore(alice.Sessions);
        using var cipher = new SessionCipher(alice.Identities, alice.PreKeys, failing, "bob");
        var first = cipher.Encrypt("one"u8).ToArray();
        failing.Fail = true;
        Assert.ThrowsAny<Exception>(() => cipher.Encrypt("two"u8));
        failing.Fail = false;
        var second = cipher.Encrypt("three"u8).ToArray();
        Assert.Equal("one", bob.Receive(alice, first));
        Assert.Equal("three", bob.Receive(alice, second));
        Assert.Equal(1u, HeaderOf(second).MessageNumber - HeaderOf(first).MessageNumber);
    }

    private static RatchetHeader HeaderOf(byte[] message)
    {
        Assert.True(MessageFormat.TryParse(message, out var envelope));
        Assert.True(RatchetHeader.TryParse(message.AsSpan(envelope.PrefixLength, RatchetHeader.Length), out var header));
        return header;
    }

    private sealed class FailingSessionStore(ISessionStore inner) : ISessionStore
    {
        public bool Fail { get; set; }

        public byte[]? LoadSession(string remoteAccountId) => inner.LoadSession(remoteAccountId);

        public void StoreSession(string remoteAccountId, byte[] record)
        {
            if (Fail)
            {
                throw new IOException("disk full");
            }

            inner.StoreSession(remoteAccountId, record);
        }
    }
}
