using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Crypto.Ratchet;

/// <summary>Big-endian writer for serialized state; wipes its buffer when disposed.</summary>
internal sealed class StateWriter : IDisposable
{
    private byte[] _buffer = new byte[512];
    private int _length;

    public void Byte(byte value) => Span(1)[0] = value;

    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Span(2), value);

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Span(4), value);

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Span(value.Length));

    public void Chain(ChainKey chain)
    {
        Bytes(chain.Span);
        UInt32(chain.Index);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void Dispose() => CryptographicOperations.ZeroMemory(_buffer);

    private Span<byte> Span(int count)
    {
        if (_length + count > _buffer.Length)
        {
            byte[] larger = new byte[Math.Max(_buffer.Length * 2, _length + count)];
            _buffer.AsSpan(0, _length).CopyTo(larger);
            CryptographicOperations.ZeroMemory(_buffer);
            _buffer = larger;
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}

/// <summary>Bounds-checked big-endian reader over untrusted bytes; every read reports failure instead of throwing.</summary>
internal ref struct StateReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _offset;

    public readonly bool AtEnd => _offset == _bytes.Length;

    public bool Byte(out byte value)
    {
        value = 0;
        if (!Bytes(1, out ReadOnlySpan<byte> span)) return false;
        value = span[0];
        return true;
    }

    public bool UInt16(out ushort value)
    {
        value = 0;
        if (!Bytes(2, out ReadOnlySpan<byte> span)) return false;
        value = BinaryPrimitives.ReadUInt16BigEndian(span);
        return true;
    }

    public bool UInt32(out uint value)
    {
        value = 0;
        if (!Bytes(4, out ReadOnlySpan<byte> span)) return false;
        value = BinaryPrimitives.ReadUInt32BigEndian(span);
        return true;
    }

    public bool Bytes(int count, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (count < 0 || count > _bytes.Length - _offset) return false;
        value = _bytes.Slice(_offset, count);
        _offset += count;
        return true;
    }

    public bool Chain(out ReadOnlySpan<byte> key, out uint index)
    {
        index = 0;
        return Bytes(ChainKey.Length, out key) && UInt32(out index);
    }
}
