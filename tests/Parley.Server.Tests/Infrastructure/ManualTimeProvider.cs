namespace Parley.Server.Tests.Infrastructure;

/// <summary>A clock tests move by hand (timers still run on real time).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = DateTimeOffset.UtcNow;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
