using System.Diagnostics;
using Parley.Crypto.Ratchet;
using static Parley.Crypto.Tests.Ratchet.RatchetPair;

namespace Parley.Crypto.Tests.Ratchet;

public sealed class SkipLimitTests
{
    private static byte[][] SendMany(DoubleRatchet from, int count) =>
        [.. Enumerable.Range(0, count).Select(i => from.Encrypt(Prefix, BitConverter.GetBytes(i)))];

    [Fact]
    public void A_jump_of_exactly_MaxForwardJump_in_the_current_chain_works_and_keeps_at_most_the_cap()
    {
        using var pair = new RatchetPair();
        byte[][] sent = SendMany(pair.Alice, (int)RatchetLimits.MaxForwardJump + 2);
        Receive(pair.Bob, sent[0]);
        Assert.Equal(RatchetError.None, pair.Bob.TryDecrypt(sent[1 + RatchetLimits.MaxForwardJump], Prefix.Length, out _));
        Assert.Equal(RatchetLimits.MaxSkippedMessageKeys, pair.Bob.Skipped.Count);

        // The newest skipped keys are kept, the oldest were discarded.
        Assert.Equal(RatchetError.None, Fail(pair.Bob, sent[(int)RatchetLimits.MaxForwardJump]));
        Assert.Equal(RatchetError.DuplicateMessage, Fail(pair.Bob, sent[1]));
    }

    [Fact]
    public void One_past_MaxForwardJump_in_the_current_chain_fails_quickly_without_state_change()
    {
        using var pair = new RatchetPair();
        byte[][] sent = SendMany(pair.Alice, (int)RatchetLimits.MaxForwardJump + 3);
        Receive(pair.Bob, sent[0]);
        byte[] before = pair.Bob.Serialize();
        var clock = Stopwatch.StartNew();
        Assert.Equal(RatchetError.TooManySkipped, Fail(pair.Bob, sent[2 + RatchetLimits.MaxForwardJump]));
        Assert.True(clock.ElapsedMilliseconds < 1000);
        Assert.Equal(before, pair.Bob.Serialize());
        Assert.Equal(RatchetError.None, Fail(pair.Bob, sent[1]));
    }

    [Fact]
    public void A_new_chain_starting_at_MaxForwardJump_works_and_one_past_fails()
    {
        using var pair = new RatchetPair();
        byte[][] sent = SendMany(pair.Alice, (int)RatchetLimits.MaxForwardJump + 2);
        byte[] before = pair.Bob.Serialize();
        Assert.Equal(RatchetError.TooManySkipped, Fail(pair.Bob, sent[^1]));
        Assert.Equal(before, pair.Bob.Serialize());
        Assert.Equal(RatchetError.None, Fail(pair.Bob, sent[^2]));
    }

    [Theory]
    [InlineData(0, RatchetError.None)]
    [InlineData(1, RatchetError.TooManySkipped)]
    public void Skipping_the_rest_of_the_previous_chain_is_bounded_by_MaxForwardJump(int beyond, RatchetError expected)
    {
        using var pair = new RatchetPair();
        byte[][] oldChain = SendMany(pair.Alice, 1 + (int)RatchetLimits.MaxForwardJump + beyond);
        Receive(pair.Bob, oldChain[0]);
        Receive(pair.Alice, Send(pair.Bob, "reply"));
        byte[] newChain = Send(pair.Alice, "after the step");
        byte[] before = pair.Bob.Serialize();
        Assert.Equal(expected, Fail(pair.Bob, newChain));
        if (expected != RatchetError.None)
        {
            Assert.Equal(before, pair.Bob.Serialize());
            return;
        }

        Assert.Equal(RatchetLimits.MaxSkippedMessageKeys, pair.Bob.Skipped.Count);
        Assert.Equal(RatchetError.None, Fail(pair.Bob, oldChain[^1]));
    }

    [Fact]
    public void A_header_claiming_message_number_uint_max_is_rejected_quickly()
    {
        using var pair = new RatchetPair();
        byte[] message = Send(pair.Alice, "x");
        Receive(pair.Bob, Send(pair.Alice, "y"));
        byte[] forged = (byte[])message.Clone();
        forged.AsSpan(Prefix.Length + 36, 4).Fill(0xFF);
        byte[] before = pair.Bob.Serialize();
        var clock = Stopwatch.StartNew();
        Assert.Equal(RatchetError.TooManySkipped, Fail(pair.Bob, forged));
        Assert.True(clock.ElapsedMilliseconds < 1000);
        Assert.Equal(before, pair.Bob.Serialize());
    }

    [Fact]
    public void Rejecting_a_huge_jump_derives_nothing_even_with_a_fresh_ratchet_key()
    {
        using var pair = new RatchetPair();
        Receive(pair.Bob, Send(pair.Alice, "x"));
        byte[] forged = Send(pair.Alice, "y");
        using (var fresh = Parley.Crypto.Primitives.X25519KeyPair.Generate())
        {
            fresh.PublicKey.CopyTo(forged.AsSpan(Prefix.Length));
        }

        foreach ((uint previous, uint number) in new[] { (1u, uint.MaxValue), (uint.MaxValue, 0u), (1u + RatchetLimits.MaxForwardJump + 1, 0u) })
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(forged.AsSpan(Prefix.Length + 32), previous);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(forged.AsSpan(Prefix.Length + 36), number);
            byte[] before = pair.Bob.Serialize();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(RatchetError.TooManySkipped, Fail(pair.Bob, forged));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 16 * 1024, "rejection must not derive keys");
            Assert.Equal(before, pair.Bob.Serialize());
        }
    }

    [Fact]
    public void Exactly_MaxSkippedMessageKeys_skipped_keys_all_decrypt_later()
    {
        using var pair = new RatchetPair();
        byte[][] sent = SendMany(pair.Alice, RatchetLimits.MaxSkippedMessageKeys + 1);
        Receive(pair.Bob, sent[^1]);
        Assert.Equal(RatchetLimits.MaxSkippedMessageKeys, pair.Bob.Skipped.Count);
        for (int i = 0; i < RatchetLimits.MaxSkippedMessageKeys; i++)
        {
            Assert.Equal(RatchetError.None, Fail(pair.Bob, sent[i]));
        }

        Assert.Equal(0, pair.Bob.Skipped.Count);
    }

    [Fact]
    public void One_past_MaxSkippedMessageKeys_discards_the_oldest_key()
    {
        using var pair = new RatchetPair();
        byte[][] sent = SendMany(pair.Alice, RatchetLimits.MaxSkippedMessageKeys + 2);
        Receive(pair.Bob, sent[^1]);
        Assert.Equal(RatchetLimits.MaxSkippedMessageKeys, pair.Bob.Skipped.Count);
        Assert.Equal(RatchetError.DuplicateMessage, Fail(pair.Bob, sent[0]));
        Assert.Equal(RatchetError.None, Fail(pair.Bob, sent[1]));
    }

    [Fact]
    public void Gaps_left_across_many_ratchet_steps_never_exceed_the_total_cap()
    {
        using var pair = new RatchetPair();
        for (int step = 0; step < 30; step++)
        {
            byte[][] sent = SendMany(pair.Alice, 120);
            Receive(pair.Bob, sent[^1]);
            Receive(pair.Alice, Send(pair.Bob, "next"));
            Assert.True(pair.Bob.Skipped.Count <= RatchetLimits.MaxSkippedMessageKeys);
        }

        Assert.Equal(RatchetLimits.MaxSkippedMessageKeys, pair.Bob.Skipped.Count);
    }
}
