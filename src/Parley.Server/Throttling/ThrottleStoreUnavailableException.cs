namespace Parley.Server.Throttling;

/// <summary>
/// The shared throttle state cannot be reached (the cluster's Redis is down or not connected yet).
/// Throttled operations fail closed: the request is answered 503 with <see cref="RetryAfter"/>, never
/// let through unthrottled (docs/OPERATIONS.md, "Running a cluster").
/// </summary>
public sealed class ThrottleStoreUnavailableException : Exception
{
    /// <summary>What a refused client is told to wait: about the time a Redis restart or failover takes.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Creates the exception with a fixed message.</summary>
    public ThrottleStoreUnavailableException()
        : base("The throttle state is unavailable.")
    {
    }

    /// <summary>Creates the exception with a fixed message and the store's failure.</summary>
    public ThrottleStoreUnavailableException(Exception innerException)
        : base("The throttle state is unavailable.", innerException)
    {
    }

    /// <summary>Not used; the message is fixed.</summary>
    public ThrottleStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Not used; the message is fixed.</summary>
    public ThrottleStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
