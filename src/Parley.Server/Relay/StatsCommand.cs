using System.Globalization;
using System.Security.Cryptography;
using System.CommandLine;
using Microsoft.Extensions.Options;
using Parley.Server.Admin;
using Parley.Server.Hosting;
using Parley.Server.Metrics;

namespace Parley.Server.Relay;

/// <summary>
/// <c>parley-server stats [--url URL | --cluster URL URL …] [--data DIR]</c>: the relay's aggregates
/// from the RUNNING server's metrics listener (sampled twice, one second apart, for per-second
/// rates). Reading the live server rather than the database is what makes connected clients and
/// rates available. The address defaults to the first of <c>Metrics:Urls</c> and the bearer token to
/// <c>Metrics:BearerToken</c>; an https listener's certificate is pinned from the data directory.
/// <c>--cluster</c> reads every node's metrics listener and prints the sums (each node's metrics are
/// its own; the cluster's totals are their sum). Aggregates only — never per-user data.
/// </summary>
public static class StatsCommand
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The <c>stats</c> command.</summary>
    public static Command Build()
    {
        var url = new Option<string?>("--url")
        {
            Description = "The metrics listener (default: the first address of Metrics:Urls, http://127.0.0.1:9464).",
            HelpName = "URL",
        };
        var cluster = new Option<string[]>("--cluster")
        {
            Description = "The metrics listeners of every node of a cluster (e.g. http://10.0.0.11:9464 http://10.0.0.12:9464); prints their sums.",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = true,
        };
        cluster.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string[]>() is { } nodes && nodes.Any(n => NodeUri(n) is null))
            {
                result.AddError("--cluster takes the http(s) URLs of the nodes' metrics listeners.");
            }
        });
        var command = new Command("stats",
            "Print the running server's relay aggregates: connected clients, messages per second, queue depth.") { url, cluster };
        command.Validators.Add(result =>
        {
            if (result.GetResult(url) is not null && result.GetResult(cluster) is not null)
            {
                result.AddError("--url and --cluster cannot be combined.");
            }
        });
        command.SetAction((parse, _) => RunAsync(parse.GetValue(url), [.. (parse.GetValue(cluster) ?? []).Select(n => NodeUri(n)!)],
            ServerCommandLine.Configuration(parse)));
        return command;
    }

    private static Uri? NodeUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static async Task<int> RunAsync(string? url, Uri[] nodes, string[] configuration)
    {
        WebApplication app;
        try
        {
            app = ParleyHost.CreateBuilder(configuration).Build();
        }
        catch (Exception exception) when (StartupFailure.Describe(exception) is not null)
        {
            return StartupFailure.Report(exception);
        }

        await using (app)
        {
            var metrics = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
            if (url is null && nodes.Length == 0 && metrics.IsDisabled)
            {
                await Console.Error.WriteLineAsync("parley-server: The metrics listener is off (Metrics:Urls=none); pass --url.");
                return 1;
            }
            url ??= metrics.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            IReadOnlyList<Uri> targets = nodes.Length > 0 ? nodes : [new Uri(url)];
            using var handler = new HttpClientHandler();
            if (targets.Any(t => t.Scheme == Uri.UriSchemeHttps))
            {
                var pin = app.Services.GetRequiredService<ServerCertificate>().Certificate.GetCertHash(HashAlgorithmName.SHA256);
                handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None
                    || (certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pin));
            }

            var clients = targets.Select(t => Client(handler, t, metrics.BearerToken)).ToList();
            try
            {
                var first = await SampleAllAsync(clients);
                await Task.Delay(SampleInterval);
                var second = await SampleAllAsync(clients);
                if (nodes.Length > 0)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nodes {nodes.Length}"));
                }
                Print(first, second);
                return 0;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                await Console.Error.WriteLineAsync("parley-server: Cannot read /metrics: " + exception.Message);
                return 1;
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }
    }

    private static HttpClient Client(HttpClientHandler handler, Uri baseAddress, string? bearerToken)
    {
        var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = RequestTimeout };
        if (bearerToken is { Length: > 0 })
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }
        return http;
    }

    /// <summary>Samples every node and sums each metric (a node that cannot be read fails the command).</summary>
    private static async Task<Dictionary<string, double>> SampleAllAsync(List<HttpClient> clients)
    {
        var samples = await Task.WhenAll(clients.Select(SampleAsync));
        var sum = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            foreach (var (name, value) in sample)
            {
                sum[name] = sum.GetValueOrDefault(name) + value;
            }
        }
        return sum;
    }

    private static void Print(Dictionary<string, double> first, Dictionary<string, double> second)
    {
        double Value(string name) => second.GetValueOrDefault(name);
        double Rate(string name) => (second.GetValueOrDefault(name) - first.GetValueOrDefault(name)) / SampleInterval.TotalSeconds;
        var lines = new (string, double)[]
        {
            ("connected_clients", Value("parley_relay_connected_clients")),
            ("messages_accepted_per_second", Rate("parley_relay_messages_accepted_total")),
            ("messages_delivered_per_second", Rate("parley_relay_messages_delivered_total")),
            ("queue_depth", Value("parley_relay_queue_depth")),
            ("messages_accepted_total", Value("parley_relay_messages_accepted_total")),
            ("messages_delivered_total", Value("parley_relay_messages_delivered_total")),
        };
        foreach (var (name, value) in lines)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.##}"));
        }
    }

    private static async Task<Dictionary<string, double>> SampleAsync(HttpClient http)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("parley_relay_", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[line[..space]] = value;
            }
        }

        return values;
    }
}
