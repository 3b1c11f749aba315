using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Benchmarks;

/// <summary>
/// The real <c>parley-server</c> as a child process for the file transfer benchmark: a temporary
/// data directory, a free loopback port, its fingerprint and its memory from <c>/proc</c>.
/// </summary>
internal sealed class FileTransferServer : IDisposable
{
    private const string ListeningPrefix = "Parley server listening on ";
    private const string FingerprintPrefix = "TLS certificate fingerprint ";
    private readonly Process _process;

    private FileTransferServer(Process process, string url, string fingerprint)
    {
        _process = process;
        Url = url;
        Fingerprint = fingerprint;
    }

    public string Url { get; }

    public string Fingerprint { get; }

    public int ProcessId => _process.Id;

    public static FileTransferServer Start(string dataDirectory)
    {
        int port = FreePort();
        string url = $"https://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerDll());
        foreach (string arg in new[] { "--data", dataDirectory, "--urls", url, "--Parley:Files:QuotaBytesPerAccount", "1099511627776", "--Logging:LogLevel:Default", "Warning" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("parley-server did not start.");
        string? fingerprint = null;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            string? line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("parley-server exited during start-up.");
            if (line.StartsWith(FingerprintPrefix, StringComparison.Ordinal))
            {
                fingerprint = line[FingerprintPrefix.Length..].Trim();
            }

            if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal) && fingerprint is not null)
            {
                // Keep draining both pipes so the server never blocks on a full one.
                _ = Task.Run(() => process.StandardOutput.ReadToEnd());
                _ = Task.Run(() => process.StandardError.ReadToEnd());
                return new FileTransferServer(process, url, fingerprint);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("parley-server did not start listening.");
    }

    /// <summary>Resets the peak resident set of a process (Linux: clear_refs 5).</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>Reads VmRSS or VmHWM (peak) of a process in MiB.</summary>
    public static double MemoryMiB(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                string kib = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException("No " + field + " in /proc status.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }

        _process.Dispose();
    }

    private static string ServerDll()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Parley.slnx")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        if (directory is null)
        {
            throw new InvalidOperationException("Run the benchmark from inside the repository.");
        }

        foreach (string configuration in new[] { "Release", "Debug" })
        {
            string dll = Path.Combine(directory, "src", "Parley.Server", "bin", configuration, "net10.0", "parley-server.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new InvalidOperationException("Build src/Parley.Server first (dotnet build -c Release).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
