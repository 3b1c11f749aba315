using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Daemon.Api;
using Parley.Daemon.Rpc;

namespace Parley.Daemon.Hosting;

/// <summary>
/// The Unix-socket endpoint: newline-delimited JSON-RPC on a socket of mode 0600 inside the 0700
/// per-user runtime directory. The file system is the authentication: only its owner can connect,
/// so no token is asked. This is the socket every <c>parley</c> command looks for.
/// </summary>
internal sealed partial class UnixEndpoint : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly RpcDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private int _open;
    private Task _accepting = Task.CompletedTask;

    private UnixEndpoint(string path, Socket listener, RpcDispatcher dispatcher, ILogger logger)
    {
        Path = path;
        _listener = listener;
        _dispatcher = dispatcher;
        _logger = logger;
    }

    public string Path { get; }

    /// <summary>Binds the socket (replacing a stale file left by a killed daemon: the caller holds the home's lock).</summary>
    public static UnixEndpoint Start(string path, RpcDispatcher dispatcher, ILogger logger)
    {
        Client.Profiles.FileModes.CreatePrivateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            listener.Listen(ApiLimits.MaxConnections);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var endpoint = new UnixEndpoint(path, listener, dispatcher, logger);
        endpoint._accepting = endpoint.AcceptAsync();
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (Interlocked.Increment(ref _open) > ApiLimits.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                Log.TooManyConnections(_logger);
                socket.Dispose();
                continue;
            }

            var session = ServeAsync(socket);
            lock (_sessions)
            {
                _sessions.RemoveAll(t => t.IsCompleted);
                _sessions.Add(session);
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await Task.Yield();
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var call = new RpcCall(authenticated: true, canStream: true, localSocket: true);
            await RpcSession.RunAsync(new LineTransport(stream), call, _dispatcher, TimeProvider.System, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Too many local API connections; one was refused")]
        public static partial void TooManyConnections(ILogger logger);
    }
}
