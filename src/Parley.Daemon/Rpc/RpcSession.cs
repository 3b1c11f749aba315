using Parley.Daemon.Api;

namespace Parley.Daemon.Rpc;

/// <summary>What a message-oriented transport provides: read one request, write one message.</summary>
public interface IRpcTransport
{
    /// <summary>Reads the next request; null at the end of the stream.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The request bytes or null.</returns>
    /// <exception cref="RequestTooLargeException">When a request exceeds <see cref="ApiLimits.MaxRequestBytes"/> (the connection is closed after the error).</exception>
    Task<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Writes one response or notification.</summary>
    /// <param name="message">UTF-8 JSON.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    Task WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}

/// <summary>A request was larger than <see cref="ApiLimits.MaxRequestBytes"/>; it was not parsed.</summary>
public sealed class RequestTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestTooLargeException()
        : base("The request is too large.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public RequestTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RequestTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Serves one connection: reads requests, runs each (several may run at once, up to the limiter's
/// bound), writes responses and queued notifications through one writer. Ends when the client
/// closes, sends an oversized request, or <c>cancellationToken</c> fires.
/// </summary>
public static class RpcSession
{
    /// <summary>Runs the session.</summary>
    /// <param name="transport">The connection.</param>
    /// <param name="call">Its context.</param>
    /// <param name="dispatcher">The methods.</param>
    /// <param name="time">The clock for flood control.</param>
    /// <param name="cancellationToken">Stops the session (daemon shutdown).</param>
    /// <returns>A task that completes when the connection is done.</returns>
    public static async Task RunAsync(IRpcTransport transport, RpcCall call, RpcDispatcher dispatcher, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(dispatcher);
        using var limiter = new RequestLimiter(time);
        using var writeLock = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();

        async Task Write(byte[] message)
        {
            await writeLock.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                await transport.WriteAsync(message, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        var notifications = PumpAsync(call.Notifications, Write, stop.Token);
        var ordered = PumpAsync(call.Ordered, Write, stop.Token);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                ReadOnlyMemory<byte>? request;
                try
                {
                    request = await transport.ReadAsync(stop.Token).ConfigureAwait(false);
                }
                catch (RequestTooLargeException)
                {
                    call.Post(RpcDispatcher.Error(null, ApiErrorCodes.RequestTooLarge, $"The request is larger than {ApiLimits.MaxRequestBytes} bytes."));
                    break;
                }

                if (request is not { } bytes)
                {
                    break;
                }

                if (!limiter.TryEnter())
                {
                    call.Post(RpcDispatcher.Error(null, ApiErrorCodes.RateLimited, "Too many requests; slow down."));
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                var one = RunOneAsync(bytes, call, dispatcher, limiter, stop.Token);
                running.Add(one);
                if (!call.IsAuthenticated)
                {
                    // Before authentication, one call at a time: a wrong or missing token ends the connection.
                    await one.ConfigureAwait(false);
                    if (!call.IsAuthenticated)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException)
        {
            // The client went away or the daemon is stopping.
        }
        finally
        {
            // Calls still running when the client stops sending finish and are answered (a CLI
            // half-closes its socket after its one request); then the writer drains and stops.
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            call.Dispose();
            await ordered.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await stop.CancelAsync().ConfigureAwait(false);
            await notifications.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task RunOneAsync(ReadOnlyMemory<byte> request, RpcCall call, RpcDispatcher dispatcher, RequestLimiter limiter, CancellationToken ct)
    {
        try
        {
            await Task.Yield();
            var response = await dispatcher.HandleAsync(request, call, ct).ConfigureAwait(false);
            if (response is not null)
            {
                call.Post(response);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The connection closed while the call ran.
        }
        finally
        {
            limiter.Release();
        }
    }

    private static async Task PumpAsync(System.Threading.Channels.ChannelReader<byte[]>? reader, Func<byte[], Task> write, CancellationToken ct)
    {
        if (reader is null)
        {
            return;
        }

        try
        {
            await foreach (var message in reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await write(message).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The connection closed.
        }
    }
}
