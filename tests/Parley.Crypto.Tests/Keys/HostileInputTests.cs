using CsCheck;
using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Crypto.Tests.Keys;

/// <summary>
/// Every parser of keys, bundles and headers takes untrusted bytes: truncations, extensions, bit
/// flips and random input give false or a value, never an exception.
/// </summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> Names => Parsers.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void The_valid_encoding_parses(string name)
    {
        var (parse, valid) = Parsers.All[name];
        Assert.True(parse(valid));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_truncation_and_a_trailing_byte_are_refused(string name)
    {
        var (parse, valid) = Parsers.All[name];
        for (var length = 0; length < valid.Length; length++)
        {
            Assert.False(parse(valid.AsSpan(0, length)), $"length {length}");
        }

        Assert.False(parse([.. valid, 0]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_single_bit_flip_is_handled_without_an_exception(string name)
    {
        var (parse, valid) = Parsers.All[name];
        var copy = (byte[])valid.Clone();
        var step = valid.Length > 400 ? 7 : 1; // Large encodings: every 7th bit keeps the run short.
        for (var bit = 0; bit < valid.Length * 8; bit += step)
        {
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            _ = parse(copy);
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.False(parse(valid.AsSpan(1)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Random_bytes_never_throw(string name)
    {
        var (parse, valid) = Parsers.All[name];
        Gen.Byte.Array[0, valid.Length + 8].Sample(bytes => { _ = parse(bytes); }, iter: 300);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Random_bytes_behind_a_valid_header_never_throw(string name)
    {
        var (parse, valid) = Parsers.All[name];
        // Keep the version and tag (and the length field where there is one) so parsing gets deep.
        Gen.Byte.Array[valid.Length - 4, valid.Length + 4].Sample(
            tail =>
            {
                var input = valid.AsSpan(0, 2).ToArray().Concat(tail).ToArray();
                _ = parse(input);
                var spliced = (byte[])valid.Clone();
                tail.AsSpan(0, Math.Min(tail.Length, spliced.Length / 2)).CopyTo(spliced.AsSpan(spliced.Length / 2));
                _ = parse(spliced);
            },
            iter: 300);
    }
}
