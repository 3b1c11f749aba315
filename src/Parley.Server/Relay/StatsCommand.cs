using System.Globalization;
using System.Security.Cryptography;
using Parley.Server.Hosting;

namespace Parley.Server.Relay;

/// <summary>
/// <c>parley-server stats [--url URL] [--data DIR]</c>: the relay's aggregates from the RUNNING
/// server's <c>/metrics</c> (sampled twice, one second apart, for per-second rates). Reading the
/// live server rather than the database is what makes connected clients and rates available; the
/// server's certificate is pinned from the data directory. Aggregates only — never per-user data.
/// <c>parley-server stats --cluster URL URL …</c> reads every node's <c>/metrics</c> and prints the
/// sums (each node's metrics are its own; the cluster's totals are their sum).
/// </summary>
public static class StatsCommand
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the command with the arguments after <c>stats</c>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var nodes = TakeCluster(args);
        var url = Take(args, "--url");
        var builder = ParleyHost.CreateBuilder([.. args]);
        await using var app = builder.Build();
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        var plainHttp = configuration.GetValue<bool>("Parley:Http");
        url ??= configuration["urls"]?.Split(';')[0] ?? (plainHttp ? ParleyServerOptions.DefaultHttpUrl : ParleyServerOptions.DefaultHttpsUrl);
        using var handler = new HttpClientHandler();
        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var pin = app.Services.GetRequiredService<ServerCertificate>().Certificate.GetCertHash(HashAlgorithmName.SHA256);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pin));
        }

        var clients = (nodes.Count > 0 ? nodes : [url])
            .Select(u => new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(u), Timeout = RequestTimeout }).ToList();
        try
        {
            var first = await SampleAllAsync(clients);
            await Task.Delay(SampleInterval);
            var second = await SampleAllAsync(clients);
            if (nodes.Count > 0)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nodes {nodes.Count}"));
            }

            Print(first, second);
            return 0;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync("Cannot read /metrics: " + exception.Message);
            return 1;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
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

    /// <summary>Removes <c>--cluster URL URL …</c> from the arguments; returns the URLs (empty without it).</summary>
    private static List<string> TakeCluster(IList<string> args)
    {
        var index = args.IndexOf("--cluster");
        var urls = new List<string>();
        if (index < 0)
        {
            return urls;
        }

        args.RemoveAt(index);
        while (index < args.Count && Uri.TryCreate(args[index], UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            urls.Add(args[index]);
            args.RemoveAt(index);
        }

        if (urls.Count == 0)
        {
            throw new ArgumentException("--cluster needs the URLs of the nodes, e.g. --cluster http://10.0.0.11:8080 http://10.0.0.12:8080");
        }

        return urls;
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

    private static string? Take(IList<string> args, string name)
    {
        var index = args.IndexOf(name);
        if (index < 0 || index + 1 >= args.Count)
        {
            return null;
        }

        var value = args[index + 1];
        args.RemoveAt(index + 1);
        args.RemoveAt(index);
        return value;
    }
}
