namespace Parley.Client.Calls;

/// <summary>
/// The one deadline of the current call state, on the injected clock. Arming replaces the previous
/// deadline; a timer that fires after its deadline was replaced or disarmed does nothing (each arm
/// has its own generation, checked under the machine's lock).
/// </summary>
internal sealed class CallDeadline(TimeProvider time, Lock gate, Action expire)
{
    private ITimer? timer;
    private long generation;

    /// <summary>Replaces the deadline with one <paramref name="due"/> from now, or with none when null. Call under the lock.</summary>
    public void Arm(TimeSpan? due)
    {
        var armed = ++generation;
        timer?.Dispose();
        timer = due is { } after ? time.CreateTimer(_ => Fire(armed), null, after, Timeout.InfiniteTimeSpan) : null;
    }

    /// <summary>Removes the deadline. Call under the lock.</summary>
    public void Disarm() => Arm(null);

    private void Fire(long armed)
    {
        lock (gate)
        {
            if (armed == generation)
            {
                generation++;
                expire();
            }
        }
    }
}
