using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Parley.Client;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.Client.Transfers;
using Parley.Client.Transport;

namespace Parley.Benchmarks;

/// <summary>
/// Encrypt + upload + download + decrypt of one file through the real server process over loopback
/// TLS, with the SDK's pinned HTTP client and a real account. Each operation moves the file both
/// ways, so MB/s = size / mean time. Memory: the peak resident set of the server process and of
/// this process above their baselines (taken after a warm-up transfer) is printed at the end.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class FileTransferBenchmarks
{
    private string _root = "";
    private string _file = "";
    private string _inbox = "";
    private FileTransferServer? _server;
    private PinnedTransport? _transport;
    private string _token = "";
    private double _serverBaseline;
    private double _clientBaseline;

    /// <summary>File size in bytes.</summary>
    [Params(64L * 1024 * 1024, 1024L * 1024 * 1024)]
    public long Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("parley-bench-files-").FullName;
        _file = Path.Combine(_root, "payload.bin");
        _inbox = Directory.CreateDirectory(Path.Combine(_root, "inbox")).FullName;
        WriteRandomFile(_file, Size);
        _server = FileTransferServer.Start(Path.Combine(_root, "server"));
        Environment.SetEnvironmentVariable("PARLEY_RUNTIME_DIR", Path.Combine(_root, "run"));
        var options = new ClientOptions { StoreKdf = KdfCost.Minimum, KeyCache = new UnlockedKeyCache(Path.Combine(_root, "run")) };
        if (!ServerFingerprint.TryParse(_server.Fingerprint, out var pin))
        {
            throw new InvalidOperationException("The server printed no fingerprint.");
        }

        ParleyClient client = ParleyClient.RegisterAsync(new ParleyHome(Path.Combine(_root, "home")), UserName.Parse("bench"),
            new Uri(_server.Url), "correct-horse-battery-staple-77", new ServerTrustPolicy(pin, null), options, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            _token = Encoding.UTF8.GetString(client.Store.GetSecret("auth", "token")!);
        }
        finally
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _transport = new PinnedTransport(new Uri(_server.Url), pin, TimeSpan.FromMinutes(2));
        string warm = Path.Combine(_root, "warm.bin");
        WriteRandomFile(warm, 4L * 1024 * 1024);
        RoundTripAsync(warm).GetAwaiter().GetResult();
        GC.Collect();
        _serverBaseline = FileTransferServer.MemoryMiB(_server.ProcessId, "VmRSS");
        _clientBaseline = FileTransferServer.MemoryMiB(Environment.ProcessId, "VmRSS");
        FileTransferServer.ResetPeak(_server.ProcessId);
        FileTransferServer.ResetPeak(Environment.ProcessId);
    }

    [Benchmark(Description = "encrypt+upload+download+decrypt")]
    public Task EncryptUploadDownloadDecrypt() => RoundTripAsync(_file);

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_server is not null)
        {
            double serverPeak = FileTransferServer.MemoryMiB(_server.ProcessId, "VmHWM");
            double clientPeak = FileTransferServer.MemoryMiB(Environment.ProcessId, "VmHWM");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// FILES-MEMORY size={Size} server baseline={_serverBaseline:0.0} MiB peak={serverPeak:0.0} MiB (+{serverPeak - _serverBaseline:0.0}); client baseline={_clientBaseline:0.0} MiB peak={clientPeak:0.0} MiB (+{clientPeak - _clientBaseline:0.0})"));
        }

        _transport?.Dispose();
        _server?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private async Task RoundTripAsync(string path)
    {
        HttpClient http = _transport!.Http;
        using FilePointer pointer = await new FileUploader(http, _token).UploadFileAsync(path, null, CancellationToken.None);
        string saved = await new FileDownloader(http, _token).DownloadAsync(pointer, _inbox, null, CancellationToken.None);
        File.Delete(saved);
        await new TusClient(http, _token).DeleteAsync(pointer.BlobId, CancellationToken.None);
    }

    private static void WriteRandomFile(string path, long size)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        byte[] block = new byte[1 << 20];
        for (long written = 0; written < size; written += block.Length)
        {
            RandomNumberGenerator.Fill(block);
            file.Write(block);
        }
    }
}
