using System.Security.Cryptography;
using Parley.Crypto.Ratchet;
using static Parley.Crypto.Tests.Ratchet.RatchetPair;

namespace Parley.Crypto.Tests.Ratchet;

public sealed class StateSerializationTests
{
    [Fact]
    public void A_restored_state_continues_the_conversation()
    {
        using var pair = new RatchetPair();
        byte[] late = Send(pair.Alice, "late");
        Receive(pair.Bob, Send(pair.Alice, "first"));
        pair.Bob = RoundTrip(pair.Bob);
        Assert.Equal("reply", Receive(pair.Alice, Send(pair.Bob, "reply")));
        pair.Alice = RoundTrip(pair.Alice);
        Assert.Equal("again", Receive(pair.Bob, Send(pair.Alice, "again")));
        pair.Bob = RoundTrip(pair.Bob);
        Assert.Equal("late", Receive(pair.Bob, late));
    }

    [Fact]
    public void Every_truncation_of_a_real_state_is_refused_without_throwing()
    {
        using var pair = new RatchetPair();
        Send(pair.Alice, "skip me");
        Receive(pair.Bob, Send(pair.Alice, "x"));
        Receive(pair.Alice, Send(pair.Bob, "y"));
        byte[] state = pair.Bob.Serialize();
        for (int length = 0; length < state.Length; length++)
        {
            Assert.False(DoubleRatchet.TryDeserialize(state.AsSpan(0, length), out _));
        }

        Assert.False(DoubleRatchet.TryDeserialize([.. state, 0], out _));
    }

    [Fact]
    public void Hostile_bytes_never_throw()
    {
        using var pair = new RatchetPair();
        byte[] state = pair.Alice.Serialize();
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutated = (byte[])state.Clone();
            int position = RandomNumberGenerator.GetInt32(mutated.Length);
            mutated[position] = (byte)RandomNumberGenerator.GetInt32(256);
            if (DoubleRatchet.TryDeserialize(mutated, out DoubleRatchet? restored))
            {
                restored!.Dispose();
            }

            _ = DoubleRatchet.TryDeserialize(RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(400)), out _);
        }

        byte[] badVersion = (byte[])state.Clone();
        badVersion[0] = 9;
        Assert.False(DoubleRatchet.TryDeserialize(badVersion, out _));
        byte[] badSuite = (byte[])state.Clone();
        badSuite[1] = 3;
        Assert.False(DoubleRatchet.TryDeserialize(badSuite, out _));
    }
}
