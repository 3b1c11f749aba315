using Parley.Client.Errors;

namespace Parley.Daemon.Api;

/// <summary>
/// A failure of an API method that is not a client error: bad parameters, a missing file, a profile
/// the daemon does not serve. The message is one sentence for the user, without their data.
/// </summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The JSON-RPC error code (<see cref="ApiErrorCodes"/>).</param>
    /// <param name="message">One sentence for the user.</param>
    /// <param name="kind">The client error behind it, if any.</param>
    public ApiException(int code, string message, ClientErrorKind? kind = null)
        : base(message)
    {
        Code = code;
        Kind = kind;
    }

    /// <summary>Creates an internal error.</summary>
    public ApiException()
        : this(ApiErrorCodes.InternalError, "Internal error.")
    {
    }

    /// <summary>Creates an invalid-parameters error.</summary>
    /// <param name="message">The sentence.</param>
    public ApiException(string message)
        : this(ApiErrorCodes.InvalidParams, message)
    {
    }

    /// <summary>Creates an invalid-parameters error with a cause.</summary>
    /// <param name="message">The sentence.</param>
    /// <param name="innerException">The cause.</param>
    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ApiErrorCodes.InvalidParams;
    }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The client error, when the failure is one (its name travels in <c>error.data.kind</c>).</summary>
    public ClientErrorKind? Kind { get; }

    /// <summary>An invalid-parameters error.</summary>
    /// <param name="sentence">The sentence.</param>
    /// <returns>The exception.</returns>
    public static ApiException InvalidParams(string sentence) => new(ApiErrorCodes.InvalidParams, sentence);
}

/// <summary>The JSON-RPC error codes of the local API (docs/API.md, "Errors").</summary>
public static class ApiErrorCodes
{
    /// <summary>The request is not valid JSON.</summary>
    public const int ParseError = -32700;

    /// <summary>The JSON is not a JSON-RPC 2.0 request object.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>No such method.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>Missing, unknown or wrongly typed parameters, or values out of range.</summary>
    public const int InvalidParams = -32602;

    /// <summary>A bug in the daemon (details only in its log).</summary>
    public const int InternalError = -32603;

    /// <summary>The operation failed for a reason the client names in <c>error.data.kind</c> (e.g. <c>notAContact</c>).</summary>
    public const int ClientError = -32000;

    /// <summary>The request is larger than <see cref="ApiLimits.MaxRequestBytes"/>.</summary>
    public const int RequestTooLarge = -32001;

    /// <summary>Too many requests from this connection; slow down.</summary>
    public const int RateLimited = -32002;

    /// <summary>The WebSocket has not presented the secret yet, or presented a wrong one.</summary>
    public const int Unauthorized = -32003;

    /// <summary>A local file could not be read or written.</summary>
    public const int LocalFileError = -32004;

    /// <summary>Every code, for the documentation test.</summary>
    public static IReadOnlyList<int> All { get; } =
        [ParseError, InvalidRequest, MethodNotFound, InvalidParams, InternalError, ClientError, RequestTooLarge, RateLimited, Unauthorized, LocalFileError];
}
