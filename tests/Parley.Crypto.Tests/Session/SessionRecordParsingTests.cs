using System.Security.Cryptography;
using Parley.Crypto.Session;

namespace Parley.Crypto.Tests.Session;

public sealed class SessionRecordParsingTests
{
    [Fact]
    public void Every_truncation_and_random_corruption_of_a_record_is_refused_without_throwing()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        bob.Receive(alice, alice.Send(bob, "x"));
        alice.StartSessionWith(bob);
        byte[] record = alice.SessionBytes(bob)!;
        Assert.True(SessionRecord.TryParse(record, out SessionRecord? parsed));
        Assert.Equal(2, parsed.States.Count);
        Assert.Equal(record, parsed.Serialize());
        parsed.Dispose();

        for (int length = 0; length < record.Length; length++)
        {
            Assert.False(SessionRecord.TryParse(record.AsSpan(0, length), out _));
        }

        Assert.False(SessionRecord.TryParse([.. record, 0], out _));
        for (int i = 0; i < 500; i++)
        {
            byte[] mutated = (byte[])record.Clone();
            mutated[RandomNumberGenerator.GetInt32(mutated.Length)] ^= (byte)RandomNumberGenerator.GetInt32(1, 256);
            if (SessionRecord.TryParse(mutated, out SessionRecord? survived))
            {
                survived.Dispose();
            }
        }
    }

    [Fact]
    public void A_corrupt_stored_record_is_reported_as_a_store_fault_not_hidden()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        alice.Sessions.StoreSession("bob", [9, 9, 9]);
        Assert.Throws<InvalidOperationException>(() => alice.Send(bob, "x"));
    }
}
