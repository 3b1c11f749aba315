namespace Parley.Daemon.Rpc;

/// <summary>A JSON-RPC error object.</summary>
public sealed class RpcError
{
    /// <summary>The code (<see cref="Api.ApiErrorCodes"/>).</summary>
    public required int Code { get; init; }

    /// <summary>One sentence; never user data.</summary>
    public required string Message { get; init; }

    /// <summary>Details a program can act on.</summary>
    public RpcErrorData? Data { get; init; }
}

/// <summary>The <c>data</c> member of an error.</summary>
public sealed class RpcErrorData
{
    /// <summary>For client errors: the kind, e.g. <c>notAContact</c> (docs/API.md lists them).</summary>
    public string? Kind { get; init; }

    /// <summary>The exit code <c>parley</c> uses for this failure.</summary>
    public int? ExitCode { get; init; }

    /// <summary>When the server said how long to wait (a rate limit or a lockout): that wait, in whole seconds.</summary>
    public long? RetryAfterSeconds { get; init; }
}
