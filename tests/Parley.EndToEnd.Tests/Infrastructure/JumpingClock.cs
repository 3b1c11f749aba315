namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The system clock, moved forward on demand. <see cref="Advance"/> shifts the time every reader sees
/// and brings every timer made through this provider forward by as much (one whose due time passed
/// fires at once); otherwise everything runs on real time. It lets an end-to-end test cross a long
/// deadline — a call ringing unanswered for a minute — without waiting for it. Given only to a daemon
/// the test hosts in its own process (<c>InProcessDaemon</c>): nothing in the product can reach it.
/// </summary>
internal sealed class JumpingClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<JumpingTimer> _timers = [];
    private TimeSpan _shift;

    /// <summary>How far this clock is ahead of the system's.</summary>
    public TimeSpan Shift
    {
        get
        {
            lock (_gate)
            {
                return _shift;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;

    public override long GetTimestamp() => System.GetTimestamp() + (Shift.Ticks * TimestampFrequency / TimeSpan.TicksPerSecond);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new JumpingTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock <paramref name="by"/> forward, and every timer's due time with it.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        JumpingTimer[] timers;
        lock (_gate)
        {
            _shift += by;
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Jump(by);
        }
    }

    private void Forget(JumpingTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>A real timer that remembers when it is due, so a jump can bring that forward.</summary>
    private sealed class JumpingTimer : ITimer
    {
        private readonly JumpingClock _clock;
        private readonly ITimer _inner;
        private readonly Lock _gate = new();
        private DateTimeOffset? _dueAt; // on the system clock
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public JumpingTimer(JumpingClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _inner = System.CreateTimer(_ => Fire(callback, state), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : System.GetUtcNow() + dueTime;
                _period = period;
                return _inner.Change(dueTime, period);
            }
        }

        public void Jump(TimeSpan by)
        {
            lock (_gate)
            {
                if (_dueAt is not { } due)
                {
                    return;
                }

                var now = System.GetUtcNow();
                var left = due - by - now;
                left = left < TimeSpan.Zero ? TimeSpan.Zero : left;
                _dueAt = now + left;
                _inner.Change(left, _period);
            }
        }

        public void Dispose()
        {
            _clock.Forget(this);
            _inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            _clock.Forget(this);
            return _inner.DisposeAsync();
        }

        private void Fire(TimerCallback callback, object? state)
        {
            lock (_gate)
            {
                _dueAt = _period == Timeout.InfiniteTimeSpan ? null : System.GetUtcNow() + _period;
            }

            callback(state);
        }
    }
}
