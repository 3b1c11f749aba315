namespace Parley.Server.Hosting;

/// <summary>
/// A domain error that becomes an RFC 7807 problem response in one place
/// (<see cref="ProblemExceptionHandler"/>). Titles and details are fixed, user-safe texts: never a
/// username, token, key or SRP value.
/// </summary>
public sealed class ProblemException : Exception
{
    /// <summary>Creates a problem with a status code, a stable type slug and a title.</summary>
    public ProblemException(int status, string type, string title, TimeSpan? retryAfter = null)
        : base(title)
    {
        Status = status;
        Type = type;
        RetryAfter = retryAfter;
    }

    /// <summary>Not used; problems always carry a status.</summary>
    public ProblemException()
        : this(500, "internal", "Internal error")
    {
    }

    /// <summary>Not used; problems always carry a status.</summary>
    public ProblemException(string message)
        : this(400, "bad-request", message)
    {
    }

    /// <summary>Not used; problems always carry a status.</summary>
    public ProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Type = "internal";
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>A stable slug; the response's <c>type</c> is <c>urn:parley:problem:{slug}</c>.</summary>
    public string Type { get; }

    /// <summary>When set, sent as <c>Retry-After</c> (whole seconds, rounded up).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>400: the request is malformed (wrong shape, size or encoding).</summary>
    public static ProblemException BadRequest(string title) => new(StatusCodes.Status400BadRequest, "bad-request", title);

    /// <summary>404: the named resource does not exist.</summary>
    public static ProblemException NotFound(string title) => new(StatusCodes.Status404NotFound, "not-found", title);

    /// <summary>409: the request conflicts with existing state.</summary>
    public static ProblemException Conflict(string type, string title) => new(StatusCodes.Status409Conflict, type, title);

    /// <summary>429: too many requests; try again after <paramref name="retryAfter"/>.</summary>
    public static ProblemException TooManyRequests(TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests", retryAfter);
}
