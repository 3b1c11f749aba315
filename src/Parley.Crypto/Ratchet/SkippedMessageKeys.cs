namespace Parley.Crypto.Ratchet;

/// <summary>
/// Message keys of messages not yet received, kept so late or reordered messages still decrypt.
/// Ordered oldest first and capped at <see cref="RatchetLimits.MaxSkippedMessageKeys"/>: adding past
/// the cap discards (and wipes) the oldest keys. A key is removed as soon as it is used.
/// </summary>
internal sealed class SkippedMessageKeys : IDisposable
{
    private readonly List<Entry> _entries = [];

    internal int Count => _entries.Count;

    internal IReadOnlyList<Entry> Entries => _entries;

    internal int IndexOf(ReadOnlySpan<byte> ratchetKey, uint messageNumber)
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            Entry entry = _entries[i];
            if (entry.Key.Index == messageNumber && entry.RatchetKey.AsSpan().SequenceEqual(ratchetKey))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Removes the entry at <paramref name="index"/> and wipes its key.</summary>
    internal void RemoveAt(int index)
    {
        _entries[index].Key.Dispose();
        _entries.RemoveAt(index);
    }

    /// <summary>Appends newly skipped keys (oldest first), discarding the oldest beyond the cap.</summary>
    internal void AddRange(IEnumerable<Entry> entries)
    {
        _entries.AddRange(entries);
        int excess = _entries.Count - RatchetLimits.MaxSkippedMessageKeys;
        if (excess > 0)
        {
            for (int i = 0; i < excess; i++)
            {
                _entries[i].Key.Dispose();
            }

            _entries.RemoveRange(0, excess);
        }
    }

    public void Dispose()
    {
        foreach (Entry entry in _entries)
        {
            entry.Key.Dispose();
        }

        _entries.Clear();
    }

    /// <summary>One skipped key: the sender's ratchet key of its chain and the message key (with its number).</summary>
    internal sealed class Entry(byte[] ratchetKey, MessageKey key)
    {
        internal byte[] RatchetKey { get; } = ratchetKey;

        internal MessageKey Key { get; } = key;
    }

    /// <summary>
    /// Keys skipped while walking a chain during one decryption, not yet committed. Holds at most the
    /// cap's worth (the newest), so a long walk uses bounded memory.
    /// </summary>
    internal sealed class Pending : IDisposable
    {
        private readonly Queue<Entry> _queue = new();

        internal IEnumerable<Entry> Items => _queue;

        internal void Add(Entry entry)
        {
            _queue.Enqueue(entry);
            if (_queue.Count > RatchetLimits.MaxSkippedMessageKeys)
            {
                _queue.Dequeue().Key.Dispose();
            }
        }

        /// <summary>Hands ownership of the keys to the store.</summary>
        internal void CommitTo(SkippedMessageKeys store)
        {
            store.AddRange(_queue);
            _queue.Clear();
        }

        public void Dispose()
        {
            foreach (Entry entry in _queue)
            {
                entry.Key.Dispose();
            }

            _queue.Clear();
        }
    }
}
