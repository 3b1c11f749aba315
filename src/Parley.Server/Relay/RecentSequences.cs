namespace Parley.Server.Relay;

/// <summary>
/// The last <see cref="Capacity"/> stored sequences a connection's drains read, in a fixed ring (no
/// allocation after the first). A cluster doorbell names the first sequence its commit stored for the
/// account; a drain that already read that row saw the whole commit (one transaction, read through to
/// the end of the queue), so the doorbell needs no read of its own. Forgetting old entries only costs a
/// read that finds nothing new, never a message.
/// </summary>
internal sealed class RecentSequences
{
    /// <summary>Sequences remembered per connection.</summary>
    public const int Capacity = 64;

    private readonly long[] _ring = new long[Capacity];
    private int _next;
    private int _count;

    /// <summary>Remembers a sequence read from the store (sequences are positive; 0 is never recorded).</summary>
    public void Add(long sequence)
    {
        if (sequence <= 0)
        {
            return;
        }

        _ring[_next] = sequence;
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
    }

    /// <summary>True when <paramref name="sequence"/> is among the last <see cref="Capacity"/> recorded.</summary>
    public bool Contains(long sequence) => sequence > 0 && Array.IndexOf(_ring, sequence, 0, _count) >= 0;
}
