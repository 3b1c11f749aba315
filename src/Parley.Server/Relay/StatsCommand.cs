using System.Globalization;
using System.Security.Cryptography;
using System.CommandLine;
using Microsoft.Extensions.Options;
using Parley.Server.Admin;
using Parley.Server.Hosting;
using Parley.Server.Metrics;

namespace Parley.Server.Relay;

/// <summary>
/// <c>parley-server stats [--url URL] [--data DIR]</c>: the relay's aggregates from the RUNNING
/// server's metrics listener (sampled twice, one second apart, for per-second rates). Reading the
/// live server rather than the database is what makes connected clients and rates available. The
/// address defaults to the first of <c>Metrics:Urls</c> and the bearer token to
/// <c>Metrics:BearerToken</c>; an https listener's certificate is pinned from the data directory.
/// Aggregates only — never per-user data.
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
        var command = new Command("stats",
            "Print the running server's relay aggregates: connected clients, messages per second, queue depth.") { url };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(url), ServerCommandLine.Configuration(parse)));
        return command;
    }

    private static async Task<int> RunAsync(string? url, string[] configuration)
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
            if (url is null && metrics.IsDisabled)
            {
                await Console.Error.WriteLineAsync("parley-server: The metrics listener is off (Metrics:Urls=none); pass --url.");
                return 1;
            }
            url ??= metrics.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            using var handler = new HttpClientHandler();
            if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                var pin = app.Services.GetRequiredService<ServerCertificate>().Certificate.GetCertHash(HashAlgorithmName.SHA256);
                handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None
                    || (certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pin));
            }

            using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = RequestTimeout };
            if (metrics.BearerToken is { Length: > 0 } token)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }
            try
            {
                var first = await SampleAsync(http);
                await Task.Delay(SampleInterval);
                var second = await SampleAsync(http);
                Print(first, second);
                return 0;
            }
            catch (HttpRequestException exception)
            {
                await Console.Error.WriteLineAsync("parley-server: Cannot read " + url + "/metrics: " + exception.Message);
                return 1;
            }
        }
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
