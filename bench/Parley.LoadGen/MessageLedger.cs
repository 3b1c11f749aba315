using System.Diagnostics;

namespace Parley.LoadGen;

/// <summary>
/// Per-sender record of every message: when it was sent, whether the server accepted it, how often it
/// was delivered. Lost = accepted but never delivered; duplicated = delivered more than once.
/// </summary>
internal sealed class MessageLedger
{
    private const byte Accepted = 1;
    private readonly List<long> _sentAt = [];
    private readonly List<byte> _flags = [];
    private readonly List<byte> _deliveries = [];
    private readonly Lock _gate = new();

    public int Sent { get { lock (_gate) { return _sentAt.Count; } } }

    public int NextSequence()
    {
        lock (_gate)
        {
            _sentAt.Add(Stopwatch.GetTimestamp());
            _flags.Add(0);
            _deliveries.Add(0);
            return _sentAt.Count - 1;
        }
    }

    /// <summary>Marks accepted; returns the send timestamp.</summary>
    public long MarkAccepted(int sequence)
    {
        lock (_gate)
        {
            if ((uint)sequence >= (uint)_flags.Count)
            {
                return 0;
            }

            _flags[sequence] |= Accepted;
            return _sentAt[sequence];
        }
    }

    /// <summary>Counts a delivery; returns false when the sequence is unknown.</summary>
    public bool MarkDelivered(int sequence)
    {
        lock (_gate)
        {
            if ((uint)sequence >= (uint)_deliveries.Count)
            {
                return false;
            }

            _deliveries[sequence] = (byte)Math.Min(255, _deliveries[sequence] + 1);
            return true;
        }
    }

    /// <summary>Sequences sent but not (yet) accepted: a client resends them after reconnecting.</summary>
    public List<int> Unaccepted()
    {
        lock (_gate)
        {
            var pending = new List<int>();
            for (var i = 0; i < _flags.Count; i++)
            {
                if ((_flags[i] & Accepted) == 0)
                {
                    pending.Add(i);
                }
            }

            return pending;
        }
    }

    public (int Accepted, int Delivered, int Lost, int Duplicated) Tally()
    {
        lock (_gate)
        {
            int accepted = 0, delivered = 0, lost = 0, duplicated = 0;
            for (var i = 0; i < _flags.Count; i++)
            {
                var wasAccepted = (_flags[i] & Accepted) != 0;
                accepted += wasAccepted ? 1 : 0;
                delivered += _deliveries[i] > 0 ? 1 : 0;
                lost += wasAccepted && _deliveries[i] == 0 ? 1 : 0;
                duplicated += Math.Max(0, _deliveries[i] - 1);
            }

            return (accepted, delivered, lost, duplicated);
        }
    }
}
