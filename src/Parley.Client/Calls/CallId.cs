using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Parley.Client.Calls;

/// <summary>
/// A call's id: 16 bytes from the CSPRNG, written as 32 lowercase hex digits. Ids order as unsigned
/// big-endian integers (the same order as their hex text), which is what the glare rule compares.
/// </summary>
/// <param name="Value">The id as an unsigned 128-bit big-endian number.</param>
public readonly record struct CallId(UInt128 Value) : IComparable<CallId>
{
    /// <summary>Bytes in an id.</summary>
    public const int ByteLength = 16;

    /// <summary>Characters in the text form.</summary>
    public const int TextLength = 32;

    /// <summary>A fresh random id.</summary>
    public static CallId New()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return new CallId(BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    /// <summary>Parses exactly 32 lowercase hex digits (nothing else is an id).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CallId id)
    {
        id = default;
        if (text is not { Length: TextLength } || !text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            return false;
        }
        id = new CallId(UInt128.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(CallId other) => Value.CompareTo(other.Value);

    /// <summary>Whether <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    public static bool operator <(CallId left, CallId right) => left.Value < right.Value;

    /// <summary>Whether <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    public static bool operator >(CallId left, CallId right) => left.Value > right.Value;

    /// <summary>Whether <paramref name="left"/> orders before or equals <paramref name="right"/>.</summary>
    public static bool operator <=(CallId left, CallId right) => left.Value <= right.Value;

    /// <summary>Whether <paramref name="left"/> orders after or equals <paramref name="right"/>.</summary>
    public static bool operator >=(CallId left, CallId right) => left.Value >= right.Value;

    /// <summary>The 32-hex-digit text form.</summary>
    public override string ToString() => Value.ToString("x32", CultureInfo.InvariantCulture);
}
