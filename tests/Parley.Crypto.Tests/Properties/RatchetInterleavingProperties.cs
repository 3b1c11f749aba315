using CsCheck;
using Parley.Crypto.Primitives;
using Parley.Crypto.Ratchet;
using Parley.Crypto.Tests.Ratchet;

namespace Parley.Crypto.Tests.Properties;

/// <summary>
/// Random interleavings of sends, loss, reordering, duplication and state round trips between two
/// ratchets: every delivered message decrypts exactly once to what was sent.
/// </summary>
public sealed class RatchetInterleavingProperties
{
    internal static readonly Gen<(int Op, int Pick)[]> Scripts = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 1 << 20]).Array[1, 120];

    [Fact]
    public void Every_delivered_message_decrypts_exactly_once_whatever_the_network_does()
    {
        Scripts.Sample(script =>
        {
            using var pair = new RatchetPair(script.Length % 2 == 0 ? AeadAlgorithm.ChaCha20Poly1305 : AeadAlgorithm.Aes256Gcm);
            var world = new World();
            foreach ((int op, int pick) in script)
            {
                world.Step(pair, op, pick);
            }

            world.DeliverEverything(pair);
        }, iter: 150, threads: 1);
    }

    private sealed class World
    {
        private readonly List<(bool ToBob, byte[] Message, string Text)> _inFlight = [];
        private readonly List<(bool ToBob, byte[] Message)> _delivered = [];
        private int _counter;

        public void Step(RatchetPair pair, int op, int pick)
        {
            switch (op)
            {
                case 0 or 1:
                    Send(pair, toBob: op == 0);
                    break;
                case 2 or 3:
                    Deliver(pair, toBob: op == 2, pick);
                    break;
                case 4:
                    if (_inFlight.Count > 0) _inFlight.RemoveAt(pick % _inFlight.Count);
                    break;
                case 5:
                    Replay(pair, pick);
                    break;
                default:
                    if (pick % 2 == 0) pair.Alice = RatchetPair.RoundTrip(pair.Alice);
                    else pair.Bob = RatchetPair.RoundTrip(pair.Bob);
                    break;
            }
        }

        public void DeliverEverything(RatchetPair pair)
        {
            while (_inFlight.Count > 0)
            {
                Deliver(pair, _inFlight[^1].ToBob, _inFlight.Count - 1);
            }
        }

        private void Send(RatchetPair pair, bool toBob)
        {
            DoubleRatchet from = toBob ? pair.Alice : pair.Bob;
            if (!from.CanEncrypt) return;
            string text = $"{(toBob ? "a" : "b")}{_counter++}";
            _inFlight.Add((toBob, RatchetPair.Send(from, text), text));
        }

        private void Deliver(RatchetPair pair, bool toBob, int pick)
        {
            int[] candidates = [.. Enumerable.Range(0, _inFlight.Count).Where(i => _inFlight[i].ToBob == toBob)];
            if (candidates.Length == 0) return;
            int index = candidates[pick % candidates.Length];
            (bool direction, byte[] message, string text) = _inFlight[index];
            _inFlight.RemoveAt(index);
            Assert.Equal(text, RatchetPair.Receive(direction ? pair.Bob : pair.Alice, message));
            _delivered.Add((direction, message));
        }

        private void Replay(RatchetPair pair, int pick)
        {
            if (_delivered.Count == 0) return;
            (bool toBob, byte[] message) = _delivered[pick % _delivered.Count];
            DoubleRatchet to = toBob ? pair.Bob : pair.Alice;
            byte[] before = to.Serialize();
            Assert.NotEqual(RatchetError.None, RatchetPair.Fail(to, message));
            Assert.Equal(before, to.Serialize());
        }
    }
}
