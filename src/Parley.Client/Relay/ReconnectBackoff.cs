using System.Security.Cryptography;

namespace Parley.Client.Relay;

/// <summary>
/// How long a persistent <see cref="RelayLink"/> waits before its next connection attempt:
/// exponential ("equal jitter") backoff — the n-th consecutive failure waits a random time between
/// half and all of <c>min(Max, First · 2^(n-1))</c>, so a crowd of clients cut off by the same server
/// restart does not come back in lock-step, while each one still waits at least half its ceiling.
/// A successful connection resets it.
/// </summary>
public sealed class ReconnectBackoff
{
    /// <summary>The default ceiling of the first wait.</summary>
    public static readonly TimeSpan DefaultFirst = TimeSpan.FromSeconds(2);

    /// <summary>The default longest wait.</summary>
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(30);

    private readonly Func<long, long> _random;
    private int _failures;

    /// <summary>Creates a backoff with the given bounds.</summary>
    /// <param name="first">Ceiling of the first wait (positive).</param>
    /// <param name="max">Longest wait (at least <paramref name="first"/>).</param>
    /// <param name="random">
    /// Returns a uniformly random value in [0, bound); null for <see cref="RandomNumberGenerator"/>.
    /// Tests pass a fixed function to pin the jitter.
    /// </param>
    public ReconnectBackoff(TimeSpan first, TimeSpan max, Func<long, long>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        First = first;
        Max = max;
        _random = random ?? SecureRandom;
    }

    /// <summary>Ceiling of the first wait.</summary>
    public TimeSpan First { get; }

    /// <summary>Longest wait.</summary>
    public TimeSpan Max { get; }

    /// <summary>Consecutive failures since the last success.</summary>
    public int Failures => _failures;

    /// <summary>The ceiling of the next wait (before jitter), for the current failure count.</summary>
    public TimeSpan Ceiling
    {
        get
        {
            var doublings = Math.Min(Math.Max(_failures - 1, 0), 30);
            var ticks = First.Ticks << doublings;
            return ticks <= 0 || ticks > Max.Ticks ? Max : TimeSpan.FromTicks(ticks);
        }
    }

    /// <summary>Records a failed attempt and returns how long to wait before the next one.</summary>
    /// <returns>A wait in [ceiling/2, ceiling].</returns>
    public TimeSpan NextDelay()
    {
        _failures = Math.Min(_failures + 1, 64);
        var ceiling = Ceiling.Ticks;
        var half = ceiling / 2;
        var jitter = _random(ceiling - half + 1);
        return TimeSpan.FromTicks(half + Math.Clamp(jitter, 0, ceiling - half));
    }

    /// <summary>Records a successful connection: the next failure starts from <see cref="First"/> again.</summary>
    public void Reset() => _failures = 0;

    private static long SecureRandom(long bound)
    {
        if (bound <= 1)
        {
            return 0;
        }

        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var value = BitConverter.ToUInt64(bytes) & long.MaxValue;
        return (long)((ulong)value % (ulong)bound);
    }
}
