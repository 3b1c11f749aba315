namespace Parley.Client.Calls;

/// <summary>The JSON strings of the signal enums, both ways, in one place.</summary>
internal static class CallSignalNames
{
    private static readonly (CallSignalType Type, string Name)[] Types =
    [
        (CallSignalType.Offer, "offer"), (CallSignalType.Answer, "answer"), (CallSignalType.Ice, "ice"),
        (CallSignalType.Ringing, "ringing"), (CallSignalType.Accept, "accept"), (CallSignalType.Decline, "decline"),
        (CallSignalType.Busy, "busy"), (CallSignalType.Hangup, "hangup"),
    ];

    private static readonly (HangupReason Reason, string Name)[] Reasons =
    [
        (HangupReason.Normal, "normal"), (HangupReason.Cancelled, "cancelled"), (HangupReason.NoAnswer, "no-answer"),
        (HangupReason.Failed, "failed"), (HangupReason.Security, "security"),
    ];

    public static string Of(CallSignalType type) => Types.First(t => t.Type == type).Name;

    public static string Of(HangupReason reason) => Reasons.First(r => r.Reason == reason).Name;

    public static string Of(CallMedia media) => media == CallMedia.Video ? "video" : "audio";

    public static bool TryType(string? name, out CallSignalType type)
    {
        var found = Types.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
        type = found.Type;
        return found.Name is not null;
    }

    public static bool TryReason(string? name, out HangupReason reason)
    {
        var found = Reasons.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
        reason = found.Reason;
        return found.Name is not null;
    }

    public static bool TryMedia(string? name, out CallMedia media)
    {
        media = name == "video" ? CallMedia.Video : CallMedia.Audio;
        return name is "audio" or "video";
    }
}
