using System.Buffers.Binary;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// A deterministic, AFL/SharpFuzz-style mutator over VALID encodings: random bytes are refused at the
/// first length or tag check, mutations of a real encoding get past them and reach the deep parts of
/// a decoder. Each call applies 1–4 stacked mutations (bit flips, interesting bytes and 16/32-bit
/// values such as length fields set to 0/max/−1, truncation, insertion, deletion, duplication of a
/// block, splicing with another valid encoding). Seeded: the same seed gives the same inputs.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF];
    private static readonly uint[] InterestingWords = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    private readonly Random _random = new(seed);

    /// <summary>A mutated copy of <paramref name="valid"/>, never equal to it.</summary>
    public byte[] Mutate(byte[] valid, byte[]? spliceSource = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var bytes = (byte[])valid.Clone();
            var rounds = _random.Next(1, 5);
            for (var i = 0; i < rounds; i++)
            {
                bytes = MutateOnce(bytes, spliceSource ?? valid);
            }

            if (!bytes.AsSpan().SequenceEqual(valid) || attempt > 8)
            {
                return bytes.AsSpan().SequenceEqual(valid) ? [.. valid, 0] : bytes;
            }
        }
    }

    private byte[] MutateOnce(byte[] bytes, byte[] splice)
    {
        if (bytes.Length == 0)
        {
            return [(byte)_random.Next(256)];
        }

        var at = _random.Next(bytes.Length);
        switch (_random.Next(10))
        {
            case 0:
            case 1:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                return bytes;
            case 2:
                bytes[at] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                return bytes;
            case 3:
                return WriteWord(bytes, at);
            case 4:
                return bytes[.._random.Next(bytes.Length)];
            case 5:
                return [.. bytes[..at], .. RandomBytes(_random.Next(1, 9)), .. bytes[at..]];
            case 6:
                return [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + _random.Next(1, 33))..]];
            case 7:
                var length = Math.Min(bytes.Length - at, _random.Next(1, 65));
                return [.. bytes[..(at + length)], .. bytes[at..(at + length)], .. bytes[(at + length)..]];
            case 8:
                var from = _random.Next(splice.Length);
                var count = Math.Min(Math.Min(splice.Length - from, bytes.Length - at), _random.Next(1, 65));
                splice.AsSpan(from, count).CopyTo(bytes.AsSpan(at));
                return bytes;
            default:
                bytes[at] = (byte)_random.Next(256);
                return bytes;
        }
    }

    private byte[] WriteWord(byte[] bytes, int at)
    {
        var word = InterestingWords[_random.Next(InterestingWords.Length)];
        var width = _random.Next(2) == 0 ? 2 : 4;
        if (at + width > bytes.Length)
        {
            return bytes;
        }

        var span = bytes.AsSpan(at, width);
        var bigEndian = _random.Next(2) == 0;
        if (width == 2)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)word);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)word);
            }
        }
        else if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, word);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span, word);
        }

        return bytes;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
