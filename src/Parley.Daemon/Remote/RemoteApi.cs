using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Diagnostics;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.Daemon.Api;
using Parley.Daemon.Hosting;
using Parley.Daemon.Rpc;
using Json = Parley.Daemon.Api.ApiJsonContext;

namespace Parley.Daemon.Remote;

/// <summary>
/// The API through a running daemon: JSON-RPC over its Unix socket, one connection per command.
/// Errors come back as the same exceptions the local API throws (a client error by its kind), so a
/// command prints the same sentence and exits with the same code either way.
/// </summary>
public sealed class RemoteApi : IParleyApi
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly LineTransport _lines;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private long _nextId;

    private RemoteApi(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _lines = new LineTransport(_stream);
    }

    /// <summary>Connects to the daemon of <paramref name="home"/>, or returns null when none runs.</summary>
    /// <param name="home">The installation.</param>
    /// <param name="keys">The per-user runtime directory.</param>
    /// <returns>The API, or null.</returns>
    public static RemoteApi? TryConnect(ParleyHome home, UnlockedKeyCache keys)
    {
        var path = DaemonPaths.Socket(home, keys);
        if (!File.Exists(path))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new RemoteApi(socket);
        }
        catch (SocketException)
        {
            socket.Dispose(); // a socket file left by a killed daemon: work on our own
            return null;
        }
    }

    /// <summary>Prints each call's method and outcome (<c>--debug</c>), or null.</summary>
    public ProtocolTrace? Trace { get; set; }

    /// <summary><c>daemon.info</c>: the daemon's pid, port, profiles and (over this socket) the web app's address.</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The daemon's description.</returns>
    public Task<DaemonInfoResult> InfoAsync(CancellationToken ct) => CallAsync(ApiMethods.DaemonInfo, new ProfileParams(), Json.Default.ProfileParams, Json.Default.DaemonInfoResult, null, ct);

    /// <inheritdoc />
    public Task<AccountResult> RegisterAsync(AccountParams p, CancellationToken ct) => CallAsync(ApiMethods.Register, p, Json.Default.AccountParams, Json.Default.AccountResult, null, ct);

    /// <inheritdoc />
    public Task<AccountResult> LoginAsync(AccountParams p, CancellationToken ct) => CallAsync(ApiMethods.Login, p, Json.Default.AccountParams, Json.Default.AccountResult, null, ct);

    /// <inheritdoc />
    public Task<AccountResult> LogoutAsync(ProfileParams p, CancellationToken ct) => CallAsync(ApiMethods.Logout, p, Json.Default.ProfileParams, Json.Default.AccountResult, null, ct);

    /// <inheritdoc />
    public Task<AccountResult> WhoAmIAsync(ProfileParams p, CancellationToken ct) => CallAsync(ApiMethods.WhoAmI, p, Json.Default.ProfileParams, Json.Default.AccountResult, null, ct);

    /// <inheritdoc />
    public Task<AccountResult> DeleteAccountAsync(AccountDeleteParams p, CancellationToken ct) => CallAsync(ApiMethods.AccountDelete, p, Json.Default.AccountDeleteParams, Json.Default.AccountResult, null, ct);

    /// <inheritdoc />
    public Task<AccountResult> ChangePasswordAsync(AccountPasswordParams p, CancellationToken ct) => CallAsync(ApiMethods.AccountPassword, p, Json.Default.AccountPasswordParams, Json.Default.AccountResult, null, ct);

    /// <inheritdoc />
    public Task<ContactListResult> ListContactsAsync(ProfileParams p, CancellationToken ct) => CallAsync(ApiMethods.ContactsList, p, Json.Default.ProfileParams, Json.Default.ContactListResult, null, ct);

    /// <inheritdoc />
    public Task<ContactActionResult> RequestContactAsync(ContactRequestParams p, CancellationToken ct) => CallAsync(ApiMethods.ContactsRequest, p, Json.Default.ContactRequestParams, Json.Default.ContactActionResult, null, ct);

    /// <inheritdoc />
    public Task<ContactActionResult> ContactActionAsync(string method, UserParams p, CancellationToken ct) => CallAsync(method, p, Json.Default.UserParams, Json.Default.ContactActionResult, null, ct);

    /// <inheritdoc />
    public Task<SentResult> SendAsync(SendParams p, CancellationToken ct) => CallAsync(ApiMethods.Send, p, Json.Default.SendParams, Json.Default.SentResult, null, ct);

    /// <inheritdoc />
    public Task<ReceiveResult> ReceiveAsync(ReceiveParams p, Action<EventView> onEvent, CancellationToken ct) => CallAsync(ApiMethods.Receive, p, Json.Default.ReceiveParams, Json.Default.ReceiveResult, onEvent, ct);

    /// <inheritdoc />
    public Task<HistoryResult> HistoryAsync(HistoryParams p, CancellationToken ct) => CallAsync(ApiMethods.History, p, Json.Default.HistoryParams, Json.Default.HistoryResult, null, ct);

    /// <inheritdoc />
    public Task<VerifyResult> VerifyAsync(VerifyParams p, CancellationToken ct) => CallAsync(ApiMethods.Verify, p, Json.Default.VerifyParams, Json.Default.VerifyResult, null, ct);

    /// <inheritdoc />
    public Task<TrustResult> TrustAsync(UserParams p, CancellationToken ct) => CallAsync(ApiMethods.Trust, p, Json.Default.UserParams, Json.Default.TrustResult, null, ct);

    /// <inheritdoc />
    public Task<DisconnectResult> DisconnectAsync(UserParams p, CancellationToken ct) => CallAsync(ApiMethods.Disconnect, p, Json.Default.UserParams, Json.Default.DisconnectResult, null, ct);

    /// <inheritdoc />
    public Task<StatusResult> StatusAsync(ProfileParams p, CancellationToken ct) => CallAsync(ApiMethods.Status, p, Json.Default.ProfileParams, Json.Default.StatusResult, null, ct);

    /// <inheritdoc />
    public Task<OnlineResult> OnlineAsync(ProfileParams p, CancellationToken ct) => CallAsync(ApiMethods.Online, p, Json.Default.ProfileParams, Json.Default.OnlineResult, null, ct);

    /// <inheritdoc />
    public Task<SentResult> SendFileAsync(FileSendParams p, Action<EventView>? onEvent, CancellationToken ct) => CallAsync(ApiMethods.FilesSend, p, Json.Default.FileSendParams, Json.Default.SentResult, onEvent, ct);

    /// <inheritdoc />
    public Task<FileGetResult> GetFileAsync(FileGetParams p, Action<EventView>? onEvent, CancellationToken ct) => CallAsync(ApiMethods.FilesGet, p, Json.Default.FileGetParams, Json.Default.FileGetResult, onEvent, ct);

    /// <summary>Sends a typing notice.</summary>
    /// <param name="p">The parameters.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task<OkResult> TypingAsync(TypingParams p, CancellationToken ct) => CallAsync(ApiMethods.Typing, p, Json.Default.TypingParams, Json.Default.OkResult, null, ct);

    /// <summary>Subscribes this connection to events; read them with <see cref="ListenAsync"/>.</summary>
    /// <param name="p">The parameters.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task<OkResult> SubscribeAsync(SubscribeParams p, CancellationToken ct) => CallAsync(ApiMethods.Subscribe, p, Json.Default.SubscribeParams, Json.Default.OkResult, null, ct);

    /// <summary>Reads event notifications until the daemon closes the connection or <paramref name="ct"/> fires.</summary>
    /// <param name="onEvent">Called for each event.</param>
    /// <param name="ct">Stops listening.</param>
    /// <returns>A task.</returns>
    public async Task ListenAsync(Action<EventView> onEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        while (await _lines.ReadAsync(ct).ConfigureAwait(false) is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            if (TryEvent(doc.RootElement) is { } e)
            {
                onEvent(e);
            }
        }
    }

    /// <summary>Calls <paramref name="method"/> and waits for its result; notifications that arrive meanwhile go to <paramref name="onEvent"/>.</summary>
    /// <typeparam name="TParams">The parameter type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="method">The method.</param>
    /// <param name="p">The parameters.</param>
    /// <param name="paramsInfo">Their JSON metadata.</param>
    /// <param name="resultInfo">The result's JSON metadata.</param>
    /// <param name="onEvent">Receives streamed events, if any.</param>
    /// <param name="ct">Cancels waiting.</param>
    /// <returns>The result.</returns>
    public async Task<TResult> CallAsync<TParams, TResult>(string method, TParams p, JsonTypeInfo<TParams> paramsInfo, JsonTypeInfo<TResult> resultInfo, Action<EventView>? onEvent, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var id = Interlocked.Increment(ref _nextId);
            Trace?.Rpc(method, "request");
            await _lines.WriteAsync(Request(method, id, p, paramsInfo), ct).ConfigureAwait(false);
            while (true)
            {
                var line = await _lines.ReadAsync(ct).ConfigureAwait(false) ?? throw new ParleyClientException(ClientErrorKind.ServerUnreachable);
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (TryEvent(root) is { } e)
                {
                    onEvent?.Invoke(e);
                    continue;
                }

                if (!root.TryGetProperty("id", out var responseId) || responseId.ValueKind != JsonValueKind.Number || responseId.GetInt64() != id)
                {
                    if (root.TryGetProperty("error", out var stray))
                    {
                        throw ToException(stray);
                    }

                    continue;
                }

                if (root.TryGetProperty("error", out var error))
                {
                    Trace?.Rpc(method, error.TryGetProperty("code", out var code) ? code.GetRawText() : "error");
                    throw ToException(error);
                }

                Trace?.Rpc(method, "result");
                return root.GetProperty("result").Deserialize(resultInfo) ?? throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _oneAtATime.Dispose();
    }

    private static byte[] Request<T>(string method, long id, T p, JsonTypeInfo<T> info)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", id);
            w.WriteString("method", method);
            w.WritePropertyName("params");
            JsonSerializer.Serialize(w, p, info);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static EventView? TryEvent(JsonElement root) =>
        root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() == ApiMethods.EventNotification
            ? root.GetProperty("params").Deserialize(Json.Default.EventView)
            : null;

    private static Exception ToException(JsonElement error)
    {
        var rpc = error.Deserialize(Json.Default.RpcError)!;
        if (rpc.Data?.Kind is { Length: > 0 } name && Enum.TryParse<ClientErrorKind>(name, ignoreCase: true, out var kind))
        {
            return new ParleyClientException(kind)
            {
                RetryAfter = rpc.Data.RetryAfterSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
        }

        return new ApiException(rpc.Code, rpc.Message);
    }
}
