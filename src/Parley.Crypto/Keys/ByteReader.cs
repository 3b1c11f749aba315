using System.Buffers.Binary;

namespace Parley.Crypto.Keys;

/// <summary>
/// Bounds-checked reader over untrusted bytes: every read returns false instead of throwing when the
/// input is too short, so parsers can fail cleanly on hostile input.
/// </summary>
internal ref struct ByteReader
{
    private ReadOnlySpan<byte> _remaining;

    public ByteReader(ReadOnlySpan<byte> input) => _remaining = input;

    public readonly bool IsEmpty => _remaining.IsEmpty;

    public readonly int Remaining => _remaining.Length;

    public bool TryReadHeader(KeyTypeTag expected) =>
        TryReadByte(out var version) && version == KeyFormat.Version &&
        TryReadByte(out var tag) && tag == (byte)expected;

    public bool TryReadByte(out byte value)
    {
        if (_remaining.IsEmpty)
        {
            value = 0;
            return false;
        }

        value = _remaining[0];
        _remaining = _remaining[1..];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (_remaining.Length < 2)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_remaining);
        _remaining = _remaining[2..];
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (_remaining.Length < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_remaining);
        _remaining = _remaining[4..];
        return true;
    }

    public bool TryReadInt64(out long value)
    {
        if (_remaining.Length < 8)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadInt64BigEndian(_remaining);
        _remaining = _remaining[8..];
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        if (count < 0 || _remaining.Length < count)
        {
            value = default;
            return false;
        }

        value = _remaining[..count];
        _remaining = _remaining[count..];
        return true;
    }

    /// <summary>Reads a 2-byte big-endian length followed by that many bytes, at most <paramref name="maxLength"/>.</summary>
    public bool TryReadLengthPrefixed(int maxLength, out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadUInt16(out var length) && length <= maxLength && TryReadBytes(length, out value);
    }
}
