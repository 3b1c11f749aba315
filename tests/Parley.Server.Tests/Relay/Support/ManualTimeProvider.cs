namespace Parley.Server.Tests.Relay.Support;

/// <summary>Wall clock the test moves by hand; timestamps (elapsed time) stay real so timeouts still work.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}
