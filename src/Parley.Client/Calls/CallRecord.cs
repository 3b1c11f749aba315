using System.Globalization;

namespace Parley.Client.Calls;

/// <summary>How a call appears in history.</summary>
public enum CallRecordKind
{
    /// <summary>Placed by this side.</summary>
    Outgoing,

    /// <summary>Placed by the contact and answered (or declined) here.</summary>
    Incoming,

    /// <summary>Placed by the contact and never answered here: not picked up, cancelled by the caller, expired, or rung while busy.</summary>
    Missed,
}

/// <summary>
/// One call in the conversation's history (and in <c>parley history</c>): direction or missed,
/// voice or video, why it ended and how long media was connected.
/// </summary>
/// <param name="CallId">The call's id.</param>
/// <param name="Peer">The contact's username.</param>
/// <param name="Kind">Outgoing, incoming or missed.</param>
/// <param name="Media">Voice or video.</param>
/// <param name="EndReason">Why it ended.</param>
/// <param name="StartedAt">Placed (outgoing) or arrived (incoming).</param>
/// <param name="ConnectedAt">When media first connected, if it did.</param>
/// <param name="EndedAt">When it ended.</param>
public sealed record CallRecord(
    CallId CallId, string Peer, CallRecordKind Kind, CallMedia Media, CallEndReason EndReason,
    DateTimeOffset StartedAt, DateTimeOffset? ConnectedAt, DateTimeOffset EndedAt)
{
    /// <summary>Time with media connected (zero when it never connected), whole seconds.</summary>
    public TimeSpan Duration => ConnectedAt is { } connected && EndedAt > connected
        ? TimeSpan.FromSeconds(Math.Floor((EndedAt - connected).TotalSeconds))
        : TimeSpan.Zero;

    /// <summary>A one-line description, e.g. "Outgoing video call, 3:07" or "Missed voice call".</summary>
    public string Describe()
    {
        var what = Media == CallMedia.Video ? "video call" : "voice call";
        var kind = Kind switch
        {
            CallRecordKind.Outgoing => "Outgoing ",
            CallRecordKind.Incoming => "Incoming ",
            _ => "Missed ",
        };
        if (ConnectedAt is not null)
        {
            var d = Duration;
            var length = d.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}")
                : string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}:{d.Seconds:00}");
            var ending = EndReason switch
            {
                CallEndReason.ConnectionLost => " (connection lost)",
                CallEndReason.SecurityError => " (ended: security check failed)",
                CallEndReason.Failed => " (failed)",
                _ => "",
            };
            return kind + what + ", " + length + ending;
        }
        var why = EndReason switch
        {
            CallEndReason.Declined => " (declined)",
            CallEndReason.RemoteDeclined => " (declined)",
            CallEndReason.RemoteBusy => " (busy)",
            CallEndReason.NoAnswer when Kind == CallRecordKind.Outgoing => " (no answer)",
            CallEndReason.Cancelled => " (cancelled)",
            CallEndReason.Failed => " (could not connect)",
            CallEndReason.SecurityError => " (security check failed)",
            CallEndReason.UntrustedIdentity => " (refused: safety number changed)",
            CallEndReason.Busy => " (while in another call)",
            _ => "",
        };
        return kind + what + why;
    }
}
