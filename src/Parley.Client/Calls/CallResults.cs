namespace Parley.Client.Calls;

/// <summary>The answer to <see cref="CallStateMachine.Start"/>.</summary>
public enum CallStartResult
{
    /// <summary>The offer is on its way.</summary>
    Started,

    /// <summary>A call is already in progress on this device.</summary>
    Busy,

    /// <summary>The contact's identity key changed and was not accepted again: no call.</summary>
    UntrustedIdentity,
}

/// <summary>What <see cref="CallStateMachine.Receive"/> did with a signal.</summary>
public enum SignalDisposition
{
    /// <summary>It changed the call (or produced a history record or a reply).</summary>
    Applied,

    /// <summary>Not for the current call, or not expected in its state; nothing changed.</summary>
    Ignored,

    /// <summary>An offer for a call id already seen (replayed or repeated); nothing changed.</summary>
    Duplicate,

    /// <summary>From a contact whose identity key is not trusted; recorded as a refused missed call.</summary>
    Refused,
}
