using System.Security.Cryptography;
using Parley.Crypto.Primitives;
using Parley.Crypto.Ratchet;
using static Parley.Crypto.Tests.Ratchet.RatchetPair;

namespace Parley.Crypto.Tests.Ratchet;

public sealed class DoubleRatchetTests
{
    [Theory]
    [InlineData(AeadAlgorithm.ChaCha20Poly1305)]
    [InlineData(AeadAlgorithm.Aes256Gcm)]
    public void Alice_and_Bob_converse_with_a_ratchet_step_each_turn(AeadAlgorithm algorithm)
    {
        using var pair = new RatchetPair(algorithm);
        Assert.False(pair.Bob.CanEncrypt);
        for (int turn = 0; turn < 20; turn++)
        {
            byte[] aliceKey = pair.Alice.SendingRatchetKey.ToArray();
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal($"a{turn}.{i}", Receive(pair.Bob, Send(pair.Alice, $"a{turn}.{i}")));
            }

            Assert.Equal($"b{turn}", Receive(pair.Alice, Send(pair.Bob, $"b{turn}")));
            Assert.False(aliceKey.AsSpan().SequenceEqual(pair.Alice.SendingRatchetKey), "Alice's ratchet key must change after Bob replies");
        }
    }

    [Fact]
    public void The_responder_cannot_send_first()
    {
        using var pair = new RatchetPair();
        Assert.Throws<InvalidOperationException>(() => Send(pair.Bob, "too early"));
    }

    [Fact]
    public void Messages_arriving_out_of_order_within_and_across_chains_decrypt()
    {
        using var pair = new RatchetPair();
        byte[][] first = [.. Enumerable.Range(0, 5).Select(i => Send(pair.Alice, $"1.{i}"))];
        Assert.Equal("1.4", Receive(pair.Bob, first[4]));
        Assert.Equal("1.1", Receive(pair.Bob, first[1]));
        Assert.Equal("b", Receive(pair.Alice, Send(pair.Bob, "b")));
        byte[] second = Send(pair.Alice, "2.0");
        Assert.Equal("2.0", Receive(pair.Bob, second));
        Assert.Equal("1.0", Receive(pair.Bob, first[0]));
        Assert.Equal("1.3", Receive(pair.Bob, first[3]));
        Assert.Equal("1.2", Receive(pair.Bob, first[2]));
        Assert.Equal(0, pair.Bob.Skipped.Count);
    }

    [Fact]
    public void Messages_of_the_previous_chain_sent_after_the_ratchet_step_was_seen_are_skipped_correctly()
    {
        using var pair = new RatchetPair();
        Receive(pair.Bob, Send(pair.Alice, "hello"));
        byte[] b1 = Send(pair.Bob, "b1");
        byte[] b2 = Send(pair.Bob, "b2");
        Receive(pair.Alice, b1);
        Receive(pair.Bob, Send(pair.Alice, "a2"));
        byte[] b3 = Send(pair.Bob, "b3");
        Assert.Equal("b3", Receive(pair.Alice, b3));
        Assert.Equal("b2", Receive(pair.Alice, b2));
    }

    [Fact]
    public void A_replay_of_any_message_is_a_duplicate_and_changes_nothing()
    {
        using var pair = new RatchetPair();
        var sent = new List<byte[]>();
        for (int turn = 0; turn < 4; turn++)
        {
            for (int i = 0; i < 2; i++)
            {
                sent.Add(Send(pair.Alice, $"{turn}.{i}"));
                Receive(pair.Bob, sent[^1]);
            }

            Receive(pair.Alice, Send(pair.Bob, "ack"));
        }

        byte[] before = pair.Bob.Serialize();
        foreach (byte[] message in sent)
        {
            Assert.Equal(RatchetError.DuplicateMessage, Fail(pair.Bob, message));
            Assert.Equal(before, pair.Bob.Serialize());
        }
    }

    [Fact]
    public void A_replayed_skipped_message_is_a_duplicate_after_it_was_used()
    {
        using var pair = new RatchetPair();
        byte[] m0 = Send(pair.Alice, "0");
        Receive(pair.Bob, Send(pair.Alice, "1"));
        Receive(pair.Bob, m0);
        Assert.Equal(RatchetError.DuplicateMessage, Fail(pair.Bob, m0));
    }

    [Fact]
    public void Every_single_bit_flip_is_rejected_without_state_change()
    {
        using var pair = new RatchetPair();
        Receive(pair.Bob, Send(pair.Alice, "warm-up"));
        Receive(pair.Alice, Send(pair.Bob, "reply"));
        byte[] message = Send(pair.Alice, "genuine message");
        byte[] before = pair.Bob.Serialize();
        for (int bit = 0; bit < message.Length * 8; bit++)
        {
            byte[] forged = (byte[])message.Clone();
            forged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(RatchetError.None, Fail(pair.Bob, forged));
        }

        Assert.Equal(before, pair.Bob.Serialize());
        Assert.Equal("genuine message", Receive(pair.Bob, message));
    }

    [Fact]
    public void Truncated_messages_and_garbage_are_invalid()
    {
        using var pair = new RatchetPair();
        byte[] message = Send(pair.Alice, "x");
        byte[] before = pair.Bob.Serialize();
        for (int length = 0; length < message.Length; length++)
        {
            Assert.Equal(RatchetError.InvalidMessage, Fail(pair.Bob, message[..length]));
        }

        Assert.Equal(RatchetError.InvalidMessage, pair.Bob.TryDecrypt(message, message.Length + 1, out _));
        Assert.Equal(RatchetError.InvalidMessage, pair.Bob.TryDecrypt(message, -1, out _));
        Assert.Equal(before, pair.Bob.Serialize());
    }

    [Fact]
    public void A_session_with_another_suite_cannot_read_the_messages()
    {
        using var pair = new RatchetPair(AeadAlgorithm.ChaCha20Poly1305, AeadAlgorithm.Aes256Gcm);
        Assert.Equal(RatchetError.InvalidMessage, Fail(pair.Bob, Send(pair.Alice, "suite-bound")));
    }

    [Fact]
    public void A_low_order_ratchet_key_in_a_header_is_rejected()
    {
        using var pair = new RatchetPair();
        byte[] message = Send(pair.Alice, "x");
        byte[] before = pair.Bob.Serialize();
        foreach (byte[] lowOrder in new[] { new byte[32], [1, .. new byte[31]] })
        {
            byte[] forged = (byte[])message.Clone();
            lowOrder.CopyTo(forged, Prefix.Length);
            Assert.Equal(RatchetError.InvalidMessage, Fail(pair.Bob, forged));
        }

        Assert.Equal(before, pair.Bob.Serialize());
    }

    [Fact]
    public void Secret_types_show_only_their_type_name()
    {
        using var pair = new RatchetPair();
        using var root = RootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        Assert.Equal("RootKey", root.ToString());
        Assert.Equal("ChainKey", pair.Alice.SendingChain!.ToString());
        using MessageKey key = pair.Alice.SendingChain.MessageKey();
        Assert.Equal("MessageKey", key.ToString());
        Assert.Equal("DoubleRatchet", pair.Alice.ToString());
    }
}
