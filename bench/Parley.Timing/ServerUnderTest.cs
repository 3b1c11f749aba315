using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Parley.Timing;

/// <summary>
/// The real <c>parley-server</c> as a child process on a free loopback port and a temporary data
/// directory, with every throttle opened wide (the runner measures the work behind the throttle),
/// and an HTTP client pinned to the certificate fingerprint it prints.
/// </summary>
internal sealed class ServerUnderTest : IDisposable
{
    private const string ListeningPrefix = "Parley server listening on ";
    private const string FingerprintPrefix = "TLS certificate fingerprint ";
    private readonly Process _process;
    private readonly string _data;

    private ServerUnderTest(Process process, string data, Uri url, string fingerprint)
    {
        _process = process;
        _data = data;
        Url = url;
        Fingerprint = fingerprint;
    }

    public Uri Url { get; }

    public string Fingerprint { get; }

    public static ServerUnderTest Start()
    {
        var data = Directory.CreateTempSubdirectory("parley-timing-").FullName;
        var port = FreePort();
        var url = new Uri($"https://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerDll());
        foreach (var arg in new[]
        {
            "--data", data, "--urls", url.ToString(), "--Logging:LogLevel:Default", "Warning",
            "--Accounts:PowDifficulty", "8", "--Accounts:MinArgon2MemoryKiB", "1024", "--Accounts:MinArgon2Iterations", "1",
            "--Accounts:AuthRequestsPerAddressPerMinute", "100000000", "--Accounts:LoginFailuresBeforePow", "100000000",
            "--Accounts:LoginFailuresBeforeLockout", "100000000", "--Accounts:LoginAccountFailuresBeforeLockout", "100000000",
            "--Accounts:LoginAddressFailuresBeforeLockout", "100000000", "--Accounts:MaxOpenLoginsPerAccount", "100000000",
            "--Accounts:MaxOpenLoginsPerAddress", "100000000", "--Accounts:RegistrationsPerMinuteThreshold", "100000000",
            "--Keys:FetchesPerPairPerHour", "100000000", "--Keys:FetchesPerRequesterPerHour", "100000000", "--Keys:FetchesPerTargetPerHour", "100000000",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("parley-server did not start.");
        string? fingerprint = null;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("parley-server exited during start-up.");
            if (line.StartsWith(FingerprintPrefix, StringComparison.Ordinal))
            {
                fingerprint = line[FingerprintPrefix.Length..].Trim();
            }

            if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal) && fingerprint is not null)
            {
                _ = Task.Run(() => process.StandardOutput.ReadToEnd());
                _ = Task.Run(() => process.StandardError.ReadToEnd());
                return new ServerUnderTest(process, data, url, fingerprint);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("parley-server did not start listening.");
    }

    /// <summary>A client that trusts exactly the server's certificate.</summary>
    public HttpClient CreateClient()
    {
        var expected = Fingerprint.StartsWith("SHA256:", StringComparison.Ordinal) ? Fingerprint["SHA256:".Length..] : Fingerprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(Convert.ToHexString(SHA256.HashData(certificate.RawData)), expected, StringComparison.OrdinalIgnoreCase),
        };
        return new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }

        _process.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private static string ServerDll()
    {
        var directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Parley.slnx")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var dll = Path.Combine(directory ?? ".", "src", "Parley.Server", "bin", configuration, "net10.0", "parley-server.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new InvalidOperationException("Build src/Parley.Server first (dotnet build -c Release src/Parley.Server).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
