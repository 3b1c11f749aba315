using Parley.Client.Calls;

namespace Parley.Client.Tests.Calls;

/// <summary>How calls read in history: kind, media, duration in whole seconds, and why an unconnected call ended.</summary>
public sealed class CallRecordTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(CallRecordKind.Outgoing, CallMedia.Video, CallEndReason.LocalHangup, 0.999, "Outgoing video call, 0:00")]
    [InlineData(CallRecordKind.Incoming, CallMedia.Audio, CallEndReason.RemoteHangup, 59.9, "Incoming voice call, 0:59")]
    [InlineData(CallRecordKind.Incoming, CallMedia.Audio, CallEndReason.RemoteHangup, 3599, "Incoming voice call, 59:59")]
    [InlineData(CallRecordKind.Outgoing, CallMedia.Audio, CallEndReason.LocalHangup, 3600, "Outgoing voice call, 1:00:00")]
    [InlineData(CallRecordKind.Outgoing, CallMedia.Video, CallEndReason.SecurityError, 12, "Outgoing video call, 0:12 (ended: security check failed)")]
    public void Connected_calls_show_their_duration(CallRecordKind kind, CallMedia media, CallEndReason reason, double seconds, string expected)
    {
        var record = new CallRecord(CallId.New(), "bob", kind, media, reason, Start, Start.AddSeconds(3), Start.AddSeconds(3 + seconds));
        Assert.Equal(expected, record.Describe());
        Assert.Equal(TimeSpan.FromSeconds(Math.Floor(seconds)), record.Duration);
    }

    [Theory]
    [InlineData(CallRecordKind.Outgoing, CallEndReason.NoAnswer, "Outgoing voice call (no answer)")]
    [InlineData(CallRecordKind.Outgoing, CallEndReason.RemoteBusy, "Outgoing voice call (busy)")]
    [InlineData(CallRecordKind.Outgoing, CallEndReason.Cancelled, "Outgoing voice call (cancelled)")]
    [InlineData(CallRecordKind.Missed, CallEndReason.Expired, "Missed voice call")]
    [InlineData(CallRecordKind.Missed, CallEndReason.RemoteCancelled, "Missed voice call")]
    [InlineData(CallRecordKind.Missed, CallEndReason.Busy, "Missed voice call (while in another call)")]
    public void Unconnected_calls_say_why_and_have_no_duration(CallRecordKind kind, CallEndReason reason, string expected)
    {
        var record = new CallRecord(CallId.New(), "bob", kind, CallMedia.Audio, reason, Start, null, Start.AddSeconds(40));
        Assert.Equal(expected, record.Describe());
        Assert.Equal(TimeSpan.Zero, record.Duration);
    }
}
