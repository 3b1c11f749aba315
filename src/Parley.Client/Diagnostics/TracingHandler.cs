using System.Diagnostics;

namespace Parley.Client.Diagnostics;

/// <summary>Reports each HTTP exchange to a <see cref="ProtocolTrace"/>: method, path, status, time — never headers or bodies.</summary>
internal sealed class TracingHandler : DelegatingHandler
{
    private readonly ProtocolTrace _trace;

    public TracingHandler(ProtocolTrace trace, HttpMessageHandler inner)
        : base(inner)
    {
        _trace = trace;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            _trace.Http(request.Method.Method, path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch
        {
            _trace.Http(request.Method.Method, path, 0, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
