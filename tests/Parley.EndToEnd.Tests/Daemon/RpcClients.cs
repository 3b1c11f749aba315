using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>A raw JSON-RPC connection to the daemon, as a script or the web app would open it.</summary>
internal abstract class RpcConnection : IAsyncDisposable
{
    private readonly Channel<JsonObject> _incoming = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _events = [];
    private readonly List<TaskCompletionSource<JsonObject>> _eventWaiters = [];
    private int _nextId;
    private Task _reading = Task.CompletedTask;

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Calls a method and returns the whole response (result or error).</summary>
    public async Task<JsonObject> CallAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = JsonSerializer.SerializeToNode(parameters);
        }

        await SendRawAsync(Encoding.UTF8.GetBytes(request.ToJsonString()));
        return await NextResponseAsync(id);
    }

    /// <summary>Calls a method that must succeed; returns its result.</summary>
    public async Task<JsonNode> OkAsync(string method, object? parameters = null)
    {
        var response = await CallAsync(method, parameters);
        Assert.True(response.ContainsKey("result"), $"{method} failed: {response.ToJsonString()}");
        return response["result"]!;
    }

    private readonly List<JsonObject> _otherResponses = [];

    /// <summary>The next response (not a notification).</summary>
    public async Task<JsonObject> NextResponseAsync(int? id = null)
    {
        // A response to another running call waits here until its caller asks for it.
        if (id is not null && _otherResponses.FirstOrDefault(m => m["id"]!.GetValue<int>() == id) is { } earlier)
        {
            _otherResponses.Remove(earlier);
            return earlier;
        }

        while (true)
        {
            var message = await _incoming.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Command);
            if (message.ContainsKey("method"))
            {
                continue;
            }

            if (id is null || message["id"]?.GetValueKind() != JsonValueKind.Number || message["id"]!.GetValue<int>() == id)
            {
                return message;
            }

            _otherResponses.Add(message);
        }
    }

    /// <summary>Waits for an event notification matching <paramref name="match"/> (now or earlier).</summary>
    public Task<JsonObject> WaitForEventAsync(Func<JsonObject, bool> match, TimeSpan? timeout = null)
    {
        lock (_events)
        {
            if (_events.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            _eventWaiters.Add(waiter);
            return WaitAsync(waiter, match, timeout ?? TestTimeouts.Command);
        }
    }

    public abstract Task SendRawAsync(byte[] message);

    /// <summary>Whether the daemon closed this connection.</summary>
    public bool Closed => _reading.IsCompleted;

    public Task ClosedTask => _reading;

    public abstract ValueTask DisposeAsync();

    protected void StartReading() => _reading = ReadLoopAsync();

    protected abstract Task<byte[]?> ReceiveRawAsync();

    private async Task<JsonObject> WaitAsync(TaskCompletionSource<JsonObject> waiter, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        while (true)
        {
            var e = await waiter.Task.WaitAsync(timeout);
            if (match(e))
            {
                return e;
            }

            lock (_events)
            {
                // An event that arrived between the wake-up and now had no waiter to wake: look at it here.
                if (_events.FirstOrDefault(match) is { } arrived)
                {
                    return arrived;
                }

                waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
                _eventWaiters.Add(waiter);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await ReceiveRawAsync() is { } raw)
            {
                var message = JsonNode.Parse(raw)!.AsObject();
                if (message["method"]?.GetValue<string>() == "event")
                {
                    lock (_events)
                    {
                        _events.Add(message["params"]!.AsObject());
                        foreach (var w in _eventWaiters)
                        {
                            w.TrySetResult(message["params"]!.AsObject());
                        }

                        _eventWaiters.Clear();
                    }
                }

                await _incoming.Writer.WriteAsync(message);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }
}

/// <summary>Newline-delimited JSON-RPC over the daemon's Unix socket.</summary>
internal sealed class UnixRpc : RpcConnection
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private UnixRpc(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.UTF8);
        StartReading();
    }

    public static async Task<UnixRpc> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).WaitAsync(TestTimeouts.Command);
        return new UnixRpc(socket);
    }

    public override async Task SendRawAsync(byte[] message)
    {
        await _stream.WriteAsync(message);
        await _stream.WriteAsync("\n"u8.ToArray());
        await _stream.FlushAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    protected override async Task<byte[]?> ReceiveRawAsync() => await _reader.ReadLineAsync() is { } line ? Encoding.UTF8.GetBytes(line) : null;
}

/// <summary>JSON-RPC over the daemon's loopback WebSocket, the way the web app connects.</summary>
internal sealed class WebSocketRpc : RpcConnection
{
    private readonly ClientWebSocket _socket;

    private WebSocketRpc(ClientWebSocket socket)
    {
        _socket = socket;
        StartReading();
    }

    /// <summary>Connects with the token in the subprotocol (as the web app does) or without it (<paramref name="token"/> null).</summary>
    public static async Task<WebSocketRpc> ConnectAsync(int port, string? token, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("parley.v1");
        if (token is not null)
        {
            socket.Options.AddSubProtocol("parley-token." + token);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/api/v1/ws"), CancellationToken.None).WaitAsync(TestTimeouts.Command);
        return new WebSocketRpc(socket);
    }

    public override Task SendRawAsync(byte[] message) => _socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);

    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }

    protected override async Task<byte[]?> ReceiveRawAsync()
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return buffer.ToArray();
            }
        }
    }
}
