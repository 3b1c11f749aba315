using Parley.Crypto.Ratchet;
using static Parley.Crypto.Tests.Ratchet.RatchetPair;

namespace Parley.Crypto.Tests.Ratchet;

public sealed class ForwardSecrecyTests
{
    private static bool Contains(byte[] state, ReadOnlySpan<byte> secret) => state.AsSpan().IndexOf(secret) >= 0;

    [Fact]
    public void Keys_of_decrypted_messages_are_gone_from_the_serialized_state()
    {
        using var pair = new RatchetPair();
        Receive(pair.Bob, Send(pair.Alice, "hello"));
        Receive(pair.Alice, Send(pair.Bob, "hi"));
        byte[][] sent = [.. Enumerable.Range(0, 4).Select(i => Send(pair.Alice, $"m{i}"))];

        Receive(pair.Bob, sent[0]);
        byte[] chainBefore = pair.Bob.ReceivingChain!.Span.ToArray();
        byte[] keyOfNext;
        using (MessageKey next = pair.Bob.ReceivingChain.MessageKey())
        {
            keyOfNext = next.Span.ToArray();
        }

        Assert.True(Contains(pair.Bob.Serialize(), chainBefore), "the test must see the chain key before use");
        Receive(pair.Bob, sent[3]);
        byte[][] skippedKeys = [.. pair.Bob.Skipped.Entries.Select(e => e.Key.Span.ToArray())];
        Assert.Equal(2, skippedKeys.Length);
        Assert.All(skippedKeys, k => Assert.True(Contains(pair.Bob.Serialize(), k)));

        Receive(pair.Bob, sent[1]);
        Receive(pair.Bob, sent[2]);
        byte[] after = pair.Bob.Serialize();
        Assert.False(Contains(after, chainBefore));
        Assert.False(Contains(after, keyOfNext));
        Assert.All(skippedKeys, k => Assert.False(Contains(after, k)));
        Assert.All(sent, m => Assert.Equal(RatchetError.DuplicateMessage, Fail(pair.Bob, m)));
    }

    [Fact]
    public void The_sender_forgets_each_message_key_once_the_message_is_sealed()
    {
        using var pair = new RatchetPair();
        byte[] chain = pair.Alice.SendingChain!.Span.ToArray();
        byte[] key;
        using (MessageKey mk = pair.Alice.SendingChain.MessageKey())
        {
            key = mk.Span.ToArray();
        }

        Send(pair.Alice, "sealed");
        byte[] after = pair.Alice.Serialize();
        Assert.False(Contains(after, chain));
        Assert.False(Contains(after, key));
    }

    [Fact]
    public void A_stolen_copy_of_Alices_state_decrypts_nothing_after_one_round_trip()
    {
        using var pair = new RatchetPair();
        Receive(pair.Bob, Send(pair.Alice, "before"));
        Receive(pair.Alice, Send(pair.Bob, "before too"));
        Assert.True(DoubleRatchet.TryDeserialize(pair.Alice.Serialize(), out DoubleRatchet? stolen));
        using DoubleRatchet thief = stolen!;

        // Right after the theft the copy works: the test would notice a broken copy.
        byte[] exposed = Send(pair.Bob, "exposed");
        Assert.Equal("exposed", Receive(pair.Alice, exposed));
        Assert.Equal("exposed", Receive(thief, exposed));

        // One round trip after the theft: Bob's reply carries a new Bob ratchet key, so Alice draws a
        // fresh ratchet key pair the thief never saw; once Bob has used it, the copy is locked out.
        // (The thief follows the traffic it sees, as a passive attacker holding the copy would.)
        Receive(pair.Bob, Send(pair.Alice, "healing"));
        byte[] roundTrip = Send(pair.Bob, "round trip");
        Assert.Equal("round trip", Receive(pair.Alice, roundTrip));
        _ = Fail(thief, roundTrip);
        Receive(pair.Bob, Send(pair.Alice, "fresh key"));
        for (int i = 0; i < 5; i++)
        {
            byte[] secret = Send(pair.Bob, $"secret {i}");
            Assert.Equal($"secret {i}", Receive(pair.Alice, secret));
            Assert.NotEqual(RatchetError.None, Fail(thief, secret));
        }

        Receive(pair.Bob, Send(pair.Alice, "more"));
        byte[] later = Send(pair.Bob, "later");
        Assert.NotEqual(RatchetError.None, Fail(thief, later));
        Assert.Equal("later", Receive(pair.Alice, later));
    }
}
