using System.Security.Cryptography;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Scenarios;

public sealed class LongConversationScenarios
{
    [Fact]
    public void Thousands_of_messages_in_both_directions_with_ratchet_steps_all_decrypt()
    {
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        bob.Receive(alice, alice.Send(bob, "hello"));
        int total = 0, turns = 0;
        bool aliceSpeaks = false;
        while (total < 4000)
        {
            (SessionParty from, SessionParty to) = aliceSpeaks ? (alice, bob) : (bob, alice);
            int burst = RandomNumberGenerator.GetInt32(1, 40);
            var queue = new List<(CiphertextMessage Message, string Text)>();
            for (int i = 0; i < burst; i++, total++)
            {
                string text = $"{from.AccountId} #{total}";
                queue.Add((from.Send(to, text), text));
            }

            // Deliver each burst shuffled: reordering inside a chain.
            foreach ((CiphertextMessage message, string text) in queue.OrderBy(_ => RandomNumberGenerator.GetInt32(1000)))
            {
                Assert.Equal(text, to.Receive(from, message));
            }

            aliceSpeaks = !aliceSpeaks;
            turns++;
        }

        Assert.True(turns > 100);
        Assert.Equal(CiphertextMessageType.Ratchet, alice.Send(bob, "still ratchet").Type);
    }
}
