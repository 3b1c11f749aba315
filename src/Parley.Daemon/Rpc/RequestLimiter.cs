namespace Parley.Daemon.Rpc;

/// <summary>
/// Per-connection flood control: a token bucket of <see cref="Api.ApiLimits.MaxRequestsPerSecond"/>
/// and at most <see cref="Api.ApiLimits.MaxConcurrentRequests"/> calls running at once. A flooding
/// client gets errors; other connections are not affected.
/// </summary>
public sealed class RequestLimiter : IDisposable
{
    private readonly SemaphoreSlim _running = new(Api.ApiLimits.MaxConcurrentRequests, Api.ApiLimits.MaxConcurrentRequests);
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private double _tokens = Api.ApiLimits.MaxRequestsPerSecond;
    private long _last;

    /// <summary>Creates a limiter.</summary>
    /// <param name="time">The clock.</param>
    public RequestLimiter(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _last = time.GetTimestamp();
    }

    /// <summary>Takes a slot for one request; false when the client must slow down.</summary>
    /// <returns>Whether the request may run (then call <see cref="Release"/> when it is done).</returns>
    public bool TryEnter()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(Api.ApiLimits.MaxRequestsPerSecond, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * Api.ApiLimits.MaxRequestsPerSecond));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            if (!_running.Wait(0))
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>Frees the slot of a finished request.</summary>
    public void Release() => _running.Release();

    /// <inheritdoc />
    public void Dispose() => _running.Dispose();
}
