using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Parley.Client.Errors;
using Parley.Daemon.Api;

namespace Parley.Daemon.Rpc;

/// <summary>
/// JSON-RPC 2.0 over any transport: parses one request (already size-checked by the transport),
/// validates it, finds the method, reads its typed parameters and writes the response. Every
/// failure becomes an error response; nothing a client sends can throw out of here.
/// </summary>
public sealed partial class RpcDispatcher
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };
    private readonly Dictionary<string, Func<JsonElement?, RpcCall, CancellationToken, Task<Func<Utf8JsonWriter, bool>>>> _methods = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    /// <summary>Creates an empty dispatcher.</summary>
    /// <param name="logger">Where bugs are logged (type names only).</param>
    public RpcDispatcher(ILogger logger) => _logger = logger;

    /// <summary>The registered method names.</summary>
    public IReadOnlyCollection<string> Methods => _methods.Keys;

    /// <summary>Registers a method with typed parameters and result.</summary>
    /// <typeparam name="TParams">The parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="name">The method name.</param>
    /// <param name="paramsInfo">JSON metadata of the parameters.</param>
    /// <param name="resultInfo">JSON metadata of the result.</param>
    /// <param name="handler">The implementation.</param>
    public void Add<TParams, TResult>(string name, JsonTypeInfo<TParams> paramsInfo, JsonTypeInfo<TResult> resultInfo, Func<TParams, RpcCall, CancellationToken, Task<TResult>> handler)
        where TParams : class
    {
        _methods.Add(name, async (raw, call, ct) =>
        {
            TParams? p;
            try
            {
                p = raw is { } element ? element.Deserialize(paramsInfo) : JsonSerializer.Deserialize("{}", paramsInfo);
            }
            catch (JsonException e)
            {
                throw new ApiException("The parameters do not match the method" + (e.Path is { Length: > 0 } path ? " (at " + path + ")" : string.Empty) + "; see docs/API.md.", e);
            }

            var result = await handler(p ?? throw ApiException.InvalidParams("The parameters must be an object."), call, ct).ConfigureAwait(false);
            return writer =>
            {
                JsonSerializer.Serialize(writer, result, resultInfo);
                return true;
            };
        });
    }

    /// <summary>Handles one request; returns the response bytes, or null for a notification.</summary>
    /// <param name="request">The request's UTF-8 bytes.</param>
    /// <param name="call">The connection's context.</param>
    /// <param name="cancellationToken">Cancels the call (the connection closed).</param>
    /// <returns>The response, or null.</returns>
    public async Task<byte[]?> HandleAsync(ReadOnlyMemory<byte> request, RpcCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request, DocumentOptions);
        }
        catch (JsonException)
        {
            return Error(null, ApiErrorCodes.ParseError, "The request is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (!TryRead(root, out var id, out var method, out var parameters, out var problem))
            {
                return Error(id, ApiErrorCodes.InvalidRequest, problem);
            }

            var response = await InvokeAsync(method, parameters, id, call, cancellationToken).ConfigureAwait(false);
            return id is null ? null : response;
        }
    }

    /// <summary>Writes a notification (a server-to-client message without an id).</summary>
    /// <typeparam name="T">The parameter type.</typeparam>
    /// <param name="method">The notification's method name.</param>
    /// <param name="value">Its parameters.</param>
    /// <param name="info">JSON metadata.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Notification<T>(string method, T value, JsonTypeInfo<T> info) => Write(w =>
    {
        w.WriteString("method", method);
        w.WritePropertyName("params");
        JsonSerializer.Serialize(w, value, info);
    });

    /// <summary>An error response.</summary>
    /// <param name="id">The request's id (raw JSON), or null.</param>
    /// <param name="code">The code.</param>
    /// <param name="message">The sentence.</param>
    /// <param name="kind">The client error, if any.</param>
    /// <param name="retryAfter">How long the server said to wait, if it did.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] Error(string? id, int code, string message, ClientErrorKind? kind = null, TimeSpan? retryAfter = null) => Write(w =>
    {
        WriteId(w, id);
        w.WritePropertyName("error");
        var data = kind is { } k
            ? new RpcErrorData { Kind = KindName(k), ExitCode = ErrorExitCodes.For(k), RetryAfterSeconds = retryAfter is { } wait ? (long)Math.Ceiling(wait.TotalSeconds) : null }
            : null;
        JsonSerializer.Serialize(w, new RpcError { Code = code, Message = message, Data = data }, ApiJsonContext.Default.RpcError);
    });

    /// <summary>The API name of a client error kind (camelCase).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name.</returns>
    public static string KindName(ClientErrorKind kind)
    {
        var name = kind.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private async Task<byte[]> InvokeAsync(string method, JsonElement? parameters, string? id, RpcCall call, CancellationToken ct)
    {
        if (!_methods.TryGetValue(method, out var handler))
        {
            return Error(id, ApiErrorCodes.MethodNotFound, "There is no such method; see docs/API.md.");
        }

        if (!call.IsAuthenticated && method != ApiMethods.Auth)
        {
            return Error(id, ApiErrorCodes.Unauthorized, "Authenticate first (the auth method or the WebSocket subprotocol).");
        }

        try
        {
            var writeResult = await handler(parameters, call, ct).ConfigureAwait(false);
            return Write(w =>
            {
                WriteId(w, id);
                w.WritePropertyName("result");
                writeResult(w);
            });
        }
        catch (ApiException e)
        {
            return Error(id, e.Code, e.Message, e.Kind);
        }
        catch (ParleyClientException e)
        {
            return Error(id, ApiErrorCodes.ClientError, "The operation failed: " + KindName(e.Kind) + ".", e.Kind, e.RetryAfter);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(id, ApiErrorCodes.LocalFileError, "A local file could not be read or written; check permissions and free space.");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Error(id, ApiErrorCodes.InternalError, "The call was cancelled.");
        }
#pragma warning disable CA1031 // The last line of defence: a bug answers one generic error and the daemon lives on.
        catch (Exception e)
        {
            Log.MethodFailed(_logger, method, e.GetType().Name);
            return Error(id, ApiErrorCodes.InternalError, "Internal error.");
        }
#pragma warning restore CA1031
    }

    private static bool TryRead(JsonElement root, out string? id, out string method, out JsonElement? parameters, out string problem)
    {
        id = null;
        method = string.Empty;
        parameters = null;
        problem = string.Empty;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = root.ValueKind == JsonValueKind.Array ? "Batch requests are not supported; send one request at a time." : "The request must be a JSON object.";
            return false;
        }

        if (root.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
            {
                problem = "The id must be a string, a number or null.";
                return false;
            }

            id = idElement.GetRawText();
        }

        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            problem = "The request must have \"jsonrpc\": \"2.0\".";
            return false;
        }

        if (!root.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String)
        {
            problem = "The request must name a method.";
            return false;
        }

        method = m.GetString()!;
        if (root.TryGetProperty("params", out var p))
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                problem = "The params must be an object (named parameters).";
                return false;
            }

            parameters = p;
        }

        return true;
    }

    private static void WriteId(Utf8JsonWriter w, string? id)
    {
        w.WritePropertyName("id");
        if (id is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(id, skipInputValidation: true);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            body(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "API method {Method} failed with {ExceptionType}")]
        public static partial void MethodFailed(ILogger logger, string method, string exceptionType);
    }
}
