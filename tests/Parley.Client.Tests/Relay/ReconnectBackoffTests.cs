using Parley.Client.Relay;

namespace Parley.Client.Tests.Relay;

/// <summary>The reconnect schedule: doubling ceilings up to the cap, jitter inside [ceiling/2, ceiling], reset on success.</summary>
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Ceilings_double_from_the_first_delay_and_stop_at_the_cap()
    {
        var backoff = new ReconnectBackoff(First, Max, bound => bound - 1); // always the top of the range
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.NextDelay().TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void The_lowest_jitter_is_half_the_ceiling()
    {
        var backoff = new ReconnectBackoff(First, Max, _ => 0);
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay().TotalSeconds).ToArray();
        Assert.Equal([0.5, 1, 2, 4, 8, 15, 15], delays);
    }

    [Fact]
    public void Real_jitter_stays_inside_the_range_and_varies()
    {
        var seen = new HashSet<TimeSpan>();
        for (var i = 0; i < 200; i++)
        {
            var backoff = new ReconnectBackoff(First, Max);
            backoff.NextDelay();
            backoff.NextDelay();
            var third = backoff.NextDelay(); // ceiling 4 s
            Assert.InRange(third, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
            seen.Add(third);
        }

        Assert.True(seen.Count > 100, "jitter should spread clients out");
    }

    [Fact]
    public void A_success_resets_the_schedule()
    {
        var backoff = new ReconnectBackoff(First, Max, bound => bound - 1);
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.Reset();
        Assert.Equal(0, backoff.Failures);
        Assert.Equal(First, backoff.NextDelay());
    }

    [Fact]
    public void Hundreds_of_failures_neither_overflow_nor_exceed_the_cap()
    {
        var backoff = new ReconnectBackoff(First, Max, bound => bound - 1);
        for (var i = 0; i < 500; i++)
        {
            Assert.InRange(backoff.NextDelay(), TimeSpan.Zero, Max);
        }
    }

    [Fact]
    public void Bounds_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.Zero, Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Max, First));
    }
}
