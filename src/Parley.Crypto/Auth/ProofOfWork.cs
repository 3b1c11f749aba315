using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Parley.Crypto.Auth;

/// <summary>
/// Hashcash-style proof of work shared by server (verify) and client (solve): find a counter such
/// that SHA-256(challenge || counter as 8 bytes big-endian) starts with at least
/// <c>difficulty</c> zero bits. Expected work: 2^difficulty hashes.
/// </summary>
public static class ProofOfWork
{
    /// <summary>Highest difficulty anyone will verify or attempt.</summary>
    public const int MaxDifficulty = 40;

    /// <summary>Longest challenge accepted, in bytes.</summary>
    public const int MaxChallengeLength = 128;

    /// <summary>True when <paramref name="counter"/> solves the challenge at the difficulty.</summary>
    public static bool Verify(ReadOnlySpan<byte> challenge, int difficulty, ulong counter)
    {
        if (challenge.Length > MaxChallengeLength || difficulty is < 0 or > MaxDifficulty)
        {
            return false;
        }
        Span<byte> input = stackalloc byte[challenge.Length + sizeof(ulong)];
        challenge.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input[challenge.Length..], counter);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return LeadingZeroBits(hash) >= difficulty;
    }

    /// <summary>Searches counters from 0 until one solves the challenge.</summary>
    public static ulong Solve(ReadOnlySpan<byte> challenge, int difficulty, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(challenge.Length, MaxChallengeLength, nameof(challenge));
        ArgumentOutOfRangeException.ThrowIfNegative(difficulty);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, MaxDifficulty);
        Span<byte> input = stackalloc byte[challenge.Length + sizeof(ulong)];
        challenge.CopyTo(input);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        for (ulong counter = 0; ; counter++)
        {
            if ((counter & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            BinaryPrimitives.WriteUInt64BigEndian(input[challenge.Length..], counter);
            SHA256.HashData(input, hash);
            if (LeadingZeroBits(hash) >= difficulty)
            {
                return counter;
            }
        }
    }

    /// <summary>Counts the zero bits at the start of <paramref name="hash"/>.</summary>
    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b != 0)
            {
                return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
            }
            bits += 8;
        }
        return bits;
    }
}
