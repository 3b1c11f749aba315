namespace Parley.Wire.Relay;

/// <summary>
/// The packed id lists of <see cref="AckBatch.MessageIds"/> and <see cref="SendResultBatch.AcceptedIds"/>:
/// message ids of <see cref="IdBytes"/> bytes each, concatenated, at most <see cref="MaxIds"/> of them.
/// One definition for server, client, load generator and test clients.
/// </summary>
public static class MessageIdList
{
    /// <summary>Length of one message id on the relay socket.</summary>
    public const int IdBytes = 16;

    /// <summary>Most ids one batch frame carries; a sender with more splits them over several frames.</summary>
    public const int MaxIds = 4_096;

    /// <summary>
    /// Whether <paramref name="packed"/> is a well-formed list (1..<see cref="MaxIds"/> ids; a
    /// SendResultBatch's accepted list may also be empty).
    /// </summary>
    /// <param name="packed">The packed bytes.</param>
    /// <param name="allowEmpty">Whether zero ids is well-formed.</param>
    /// <returns>True when the length is a whole number of ids within the cap.</returns>
    public static bool IsValid(ReadOnlySpan<byte> packed, bool allowEmpty = false)
    {
        if (packed.Length % IdBytes != 0)
        {
            return false;
        }

        var count = packed.Length / IdBytes;
        return count <= MaxIds && (allowEmpty || count > 0);
    }

    /// <summary>The number of ids in a well-formed list.</summary>
    /// <param name="packed">The packed bytes.</param>
    /// <returns>The count.</returns>
    public static int Count(ReadOnlySpan<byte> packed) => packed.Length / IdBytes;

    /// <summary>The id at <paramref name="index"/> of a well-formed list.</summary>
    /// <param name="packed">The packed bytes.</param>
    /// <param name="index">Zero-based index, below <see cref="Count"/>.</param>
    /// <returns>The id's 16 bytes (a slice, no copy).</returns>
    public static ReadOnlySpan<byte> At(ReadOnlySpan<byte> packed, int index) => packed.Slice(index * IdBytes, IdBytes);

    /// <summary>Packs ids into one list, in order.</summary>
    /// <param name="ids">Ids of exactly <see cref="IdBytes"/> bytes, 1..<see cref="MaxIds"/> of them.</param>
    /// <returns>The packed list.</returns>
    /// <exception cref="ArgumentException">An id has another length, or the count is out of range.</exception>
    public static Google.Protobuf.ByteString Pack(IReadOnlyList<Google.Protobuf.ByteString> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(ids.Count, 1, nameof(ids));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ids.Count, MaxIds, nameof(ids));
        var packed = new byte[ids.Count * IdBytes];
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i].Length != IdBytes)
            {
                throw new ArgumentException("Every id must be " + IdBytes + " bytes.", nameof(ids));
            }

            ids[i].Span.CopyTo(packed.AsSpan(i * IdBytes));
        }

        return Google.Protobuf.ByteString.CopyFrom(packed);
    }
}
