using System.Collections.Concurrent;

namespace Parley.Server.Relay;

/// <summary>
/// Per-recipient queue depth, counting messages queued or waiting to commit. A send reserves a slot
/// before it is accepted, so the cap holds even for messages still in flight; the writer releases
/// slots for duplicates, early acknowledgements, deletions and expiry.
/// </summary>
public sealed class QueueDepths
{
    private readonly ConcurrentDictionary<long, int> _depths = new();
    private long _total;

    /// <summary>All queued and in-flight messages of all recipients (an aggregate for metrics).</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Replaces every depth with counts read from the store.</summary>
    public void Reset(IReadOnlyDictionary<long, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _depths.Clear();
        long total = 0;
        foreach (var (recipient, count) in counts)
        {
            _depths[recipient] = count;
            total += count;
        }

        Interlocked.Exchange(ref _total, total);
    }

    /// <summary>Takes one slot in a recipient's queue unless it already holds <paramref name="cap"/>.</summary>
    public bool TryReserve(long recipientId, int cap)
    {
        while (true)
        {
            var current = _depths.GetOrAdd(recipientId, 0);
            if (current >= cap)
            {
                return false;
            }

            if (_depths.TryUpdate(recipientId, current + 1, current))
            {
                Interlocked.Increment(ref _total);
                return true;
            }
        }
    }

    /// <summary>Gives back <paramref name="count"/> slots of a recipient's queue.</summary>
    public void Release(long recipientId, int count)
    {
        if (count <= 0)
        {
            return;
        }

        while (_depths.TryGetValue(recipientId, out var current))
        {
            var next = Math.Max(0, current - count);
            if (_depths.TryUpdate(recipientId, next, current))
            {
                Interlocked.Add(ref _total, -(current - next));
                if (next == 0)
                {
                    _depths.TryRemove(new KeyValuePair<long, int>(recipientId, 0));
                }

                return;
            }
        }
    }

    /// <summary>The current depth of one recipient's queue.</summary>
    public int Get(long recipientId) => _depths.TryGetValue(recipientId, out var depth) ? depth : 0;
}
