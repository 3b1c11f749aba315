namespace Parley.Client.Errors;

/// <summary>
/// The one exception type the client SDK throws for expected failures. The message never holds
/// user data (no names, no text, no keys): callers decide how to phrase <see cref="Kind"/>.
/// </summary>
public sealed class ParleyClientException : Exception
{
    /// <summary>Creates an exception of the given kind.</summary>
    /// <param name="kind">What went wrong.</param>
    public ParleyClientException(ClientErrorKind kind)
        : base($"Client error: {kind}.")
    {
        Kind = kind;
    }

    /// <summary>Creates an exception of the given kind wrapping the underlying cause.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="inner">The exception that caused it (kept for diagnostics, never shown to users).</param>
    public ParleyClientException(ClientErrorKind kind, Exception? inner)
        : base($"Client error: {kind}.", inner)
    {
        Kind = kind;
    }

    /// <summary>Creates a <see cref="ClientErrorKind.ProtocolViolation"/> exception (required by the exception pattern).</summary>
    public ParleyClientException()
        : this(ClientErrorKind.ProtocolViolation)
    {
    }

    /// <summary>Creates a <see cref="ClientErrorKind.ProtocolViolation"/> exception with a fixed message.</summary>
    /// <param name="message">A message that must not contain user data.</param>
    public ParleyClientException(string message)
        : base(message)
    {
        Kind = ClientErrorKind.ProtocolViolation;
    }

    /// <summary>Creates a <see cref="ClientErrorKind.ProtocolViolation"/> exception with a fixed message and cause.</summary>
    /// <param name="message">A message that must not contain user data.</param>
    /// <param name="innerException">The underlying cause.</param>
    public ParleyClientException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = ClientErrorKind.ProtocolViolation;
    }

    /// <summary>What went wrong, for mapping to a user-facing sentence.</summary>
    public ClientErrorKind Kind { get; }

    /// <summary>
    /// How long the server asked the client to wait before trying again (its <c>Retry-After</c> on a
    /// rate-limit or lockout refusal), or null when it did not say.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }
}
