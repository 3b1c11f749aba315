using Parley.Client.Transfers;

namespace Parley.Client.Tests.Transfers;

/// <summary>Progress reports: throttled, with a rate and an estimate of the time left.</summary>
public sealed class ProgressMeterTests
{
    private sealed class Clock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    private sealed class Collect : IProgress<TransferProgress>
    {
        public List<TransferProgress> Reports { get; } = [];

        public void Report(TransferProgress value) => Reports.Add(value);
    }

    [Fact]
    public void Reports_carry_bytes_rate_and_time_left_and_are_throttled()
    {
        var clock = new Clock();
        var sink = new Collect();
        var meter = new ProgressMeter(TransferDirection.Upload, 1000, sink, clock);
        meter.Restart(0);
        clock.Ticks += TimeSpan.FromMilliseconds(10).Ticks;
        meter.Update(10);
        Assert.Single(sink.Reports);

        clock.Ticks += TimeSpan.FromSeconds(1).Ticks;
        meter.Update(100);
        var report = sink.Reports[^1];
        Assert.Equal(100, report.BytesTransferred);
        Assert.Equal(1000, report.TotalBytes);
        Assert.InRange(report.BytesPerSecond, 80, 100);
        Assert.NotNull(report.Remaining);
        Assert.InRange(report.Remaining!.Value.TotalSeconds, 8, 12);

        meter.Update(1000);
        Assert.Equal(1.0, sink.Reports[^1].Fraction);
    }
}
