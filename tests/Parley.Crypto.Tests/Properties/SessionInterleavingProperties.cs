using System.Text;
using CsCheck;
using Parley.Crypto.Bundles;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Properties;

/// <summary>
/// The same property through the session layer, from the first PreKey message on: loss, reordering
/// and duplication, with every state going through its serialized form between operations, and a
/// "restart" that reloads both parties' session bytes into fresh stores.
/// </summary>
public sealed class SessionInterleavingProperties
{
    [Fact]
    public void Every_delivered_message_decrypts_exactly_once_and_sessions_survive_restarts()
    {
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, 1 << 20]).Array[1, 60].Sample(script =>
        {
            using var alice = new SessionParty("alice");
            using var bob = new SessionParty("bob", script.Length % 3 == 0
                ? [CipherSuite.X25519MlKem1024Aes256GcmSha256]
                : null);
            alice.StartSessionWith(bob, oneTimePreKey: script.Length % 2 == 0);
            var inFlight = new List<(bool ToBob, byte[] Message, string Text)>();
            var delivered = new List<(bool ToBob, byte[] Message)>();
            int counter = 0;

            void Deliver(int index)
            {
                (bool toBob, byte[] message, string text) = inFlight[index];
                inFlight.RemoveAt(index);
                Assert.Equal(text, toBob ? bob.Receive(alice, message) : alice.Receive(bob, message));
                delivered.Add((toBob, message));
            }

            foreach ((int op, int pick) in script)
            {
                switch (op)
                {
                    case 0 or 1:
                        (SessionParty from, SessionParty to) = op == 0 ? (alice, bob) : (bob, alice);
                        if (!from.CipherWith(to).HasSession) break;
                        string text = $"{from.AccountId}{counter++}";
                        inFlight.Add((op == 0, from.CipherWith(to).Encrypt(Encoding.UTF8.GetBytes(text)).ToArray(), text));
                        break;
                    case 2:
                        if (inFlight.Count > 0) Deliver(pick % inFlight.Count);
                        break;
                    case 3:
                        if (inFlight.Count > 0) inFlight.RemoveAt(pick % inFlight.Count);
                        break;
                    case 4:
                        if (delivered.Count == 0) break;
                        (bool toBob, byte[] replay) = delivered[pick % delivered.Count];
                        (SessionParty receiver, SessionParty sender) = toBob ? (bob, alice) : (alice, bob);
                        byte[]? before = receiver.SessionBytes(sender);
                        Assert.NotEqual(SessionError.None, receiver.Refuse(sender, replay));
                        Assert.Equal(before, receiver.SessionBytes(sender));
                        break;
                    default:
                        Restart(alice, bob);
                        Restart(bob, alice);
                        break;
                }
            }

            while (inFlight.Count > 0)
            {
                Deliver(inFlight.Count - 1);
            }
        }, iter: 40, threads: 1);
    }

    /// <summary>Reloads the stored session into a fresh store, as after an application restart.</summary>
    private static void Restart(SessionParty party, SessionParty peer)
    {
        byte[]? bytes = party.SessionBytes(peer);
        party.Sessions = new InMemorySessionStore();
        if (bytes is not null)
        {
            party.Sessions.StoreSession(peer.AccountId, bytes);
        }
    }
}
