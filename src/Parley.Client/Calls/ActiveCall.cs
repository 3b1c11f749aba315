namespace Parley.Client.Calls;

/// <summary>The mutable state of the one call in progress; owned and locked by <see cref="CallStateMachine"/>.</summary>
internal sealed class ActiveCall(CallId id, string peer, CallDirection direction, CallMedia media, DateTimeOffset startedAt)
{
    private readonly List<IceCandidate> buffered = [];

    public CallId Id { get; } = id;

    public string Peer { get; } = peer;

    public CallDirection Direction { get; } = direction;

    public CallMedia Media { get; } = media;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public CallState State { get; set; } = direction == CallDirection.Outgoing ? CallState.Outgoing : CallState.Incoming;

    public bool PeerRinging { get; set; }

    /// <summary>The callee accepted (the call reached <see cref="CallState.Connecting"/>).</summary>
    public bool Accepted { get; set; }

    public DateTimeOffset? ConnectedAt { get; set; }

    /// <summary>This side's DTLS fingerprint, as signalled; re-offers and answers must repeat it.</summary>
    public DtlsFingerprint? LocalFingerprint { get; set; }

    /// <summary>The contact's DTLS fingerprint, as signalled; the media's must equal it.</summary>
    public DtlsFingerprint? RemoteFingerprint { get; set; }

    /// <summary>Whether the contact re-offered and this side owes an answer.</summary>
    public bool AnswerOwed { get; set; }

    /// <summary>Whether the call is past the ringing phase.</summary>
    public bool IsLive => State is CallState.Connecting or CallState.Connected or CallState.Reconnecting;

    /// <summary>Holds candidates that arrived before the call was accepted; false (dropping them) over the bound.</summary>
    public bool Buffer(IReadOnlyList<IceCandidate> candidates)
    {
        if (buffered.Count + candidates.Count > CallLimits.MaxBufferedCandidates)
        {
            return false;
        }
        buffered.AddRange(candidates);
        return true;
    }

    /// <summary>The held candidates, once; empty afterwards.</summary>
    public IReadOnlyList<IceCandidate> TakeBuffered()
    {
        var taken = buffered.ToArray();
        buffered.Clear();
        return taken;
    }

    public CallSnapshot Snapshot(CallEndReason? endReason = null) =>
        new(Id, Peer, Direction, Media, endReason is null ? State : CallState.Ended, PeerRinging, StartedAt, ConnectedAt, endReason);

    /// <summary>The history record: an incoming call never accepted (nor declined here) is missed.</summary>
    public CallRecord Record(CallEndReason reason, DateTimeOffset endedAt)
    {
        var kind = Direction == CallDirection.Outgoing ? CallRecordKind.Outgoing
            : Accepted || reason == CallEndReason.Declined ? CallRecordKind.Incoming
            : CallRecordKind.Missed;
        return new CallRecord(Id, Peer, kind, Media, reason, StartedAt, ConnectedAt, endedAt);
    }
}
