using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// Metrics are served only on their own listener (issue: a public /metrics told strangers when
/// someone came online): the public port has no /metrics, the metrics listener has request
/// durations, process and runtime metrics, and nothing else.
/// </summary>
public sealed class MetricsListenerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task The_public_port_does_not_serve_metrics_and_the_metrics_listener_does()
    {
        await using var server = await ServerProcess.StartAsync("--data", _data.Path);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler);
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"https://127.0.0.1:{server.Port}/healthz")).WaitAsync(Timeout));

        using var publicMetrics = await http.GetAsync(new Uri($"https://127.0.0.1:{server.Port}/metrics")).WaitAsync(Timeout);
        Assert.True(publicMetrics.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, publicMetrics.StatusCode.ToString());
        var publicBody = await publicMetrics.Content.ReadAsStringAsync().WaitAsync(Timeout);
        Assert.DoesNotContain("parley_relay_connected_clients", publicBody, StringComparison.Ordinal);

        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}/metrics")).WaitAsync(Timeout);
        Assert.Contains("parley_relay_connected_clients 0", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/healthz\"", text, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total", text, StringComparison.Ordinal);
        Assert.Contains("process_working_set_bytes", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_collection_count_total", text, StringComparison.Ordinal);

        // The metrics listener serves nothing but /metrics.
        using var api = await http.GetAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}/healthz")).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        using var keys = await http.GetAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}/v1/keys/count")).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.NotFound, keys.StatusCode);
    }

    [Fact]
    public async Task A_configured_bearer_token_is_required_on_the_metrics_listener()
    {
        var token = new string('k', 40);
        await using var server = await ServerProcess.StartAsync("--data", _data.Path, "--Metrics:BearerToken=" + token);
        using var http = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{server.MetricsPort}/metrics");
        using (var anonymous = await http.GetAsync(url).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, url))
        {
            wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", new string('x', 40));
            using var response = await http.SendAsync(wrong).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var right = new HttpRequestMessage(HttpMethod.Get, url);
        right.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var ok = await http.SendAsync(right).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Metrics_can_be_turned_off()
    {
        await using var server = await ServerProcess.StartAsync("--data", _data.Path, "--Metrics:Urls=none");
        Assert.DoesNotContain("metrics listening", server.Output, StringComparison.Ordinal);
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://127.0.0.1:{server.MetricsPort}/metrics")).WaitAsync(Timeout));
    }

    public void Dispose() => _data.Dispose();
}
