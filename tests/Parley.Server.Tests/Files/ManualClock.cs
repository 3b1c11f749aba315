namespace Parley.Server.Tests.Files;

/// <summary>A clock the test moves by hand (with timers), so expiry and periodic work run without waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (timers)
        {
            return now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (timers)
        {
            timers.Add(timer);
        }

        return timer;
    }

    /// <summary>Moves time forward and fires every timer that came due, in order.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (timers)
        {
            target = now + by;
        }

        while (true)
        {
            ManualTimer? due;
            lock (timers)
            {
                due = timers.Where(t => t.Next is { } n && n <= target).MinBy(t => t.Next);
                if (due is null)
                {
                    now = target;
                    return;
                }

                now = due.Next!.Value;
                due.Next = due.Period is { } p && p > TimeSpan.Zero ? now + p : null;
            }

            due.Fire();
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (timers)
        {
            timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Next { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.timers)
            {
                Next = dueTime == Timeout.InfiniteTimeSpan ? null : clock.now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
