using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private coturn (Debian's <c>/usr/bin/turnserver</c>) on 127.0.0.1 for call tests: time-limited
/// credentials under a random secret (<c>use-auth-secret</c>), listening and relaying on 127.0.0.1
/// only, loopback peers allowed, no TLS, DTLS or CLI; its files in a temporary directory. Ready once
/// its UDP listener is open. <see cref="Uri"/> and <see cref="Secret"/> configure the Parley server.
/// </summary>
internal sealed class CoturnProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _output = new();

    private CoturnProcess(Process process, TempDirectory directory, int port, string secret)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Secret = secret;
    }

    public int Port { get; }

    public string Secret { get; }

    public string Uri => $"turn:127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}?transport=udp";

    /// <summary>The Parley server arguments that hand out credentials for this relay.</summary>
    public string[] ServerArguments => ["--Calls:TurnUris:0=" + Uri, "--Calls:TurnSecret=" + Secret];

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<CoturnProcess> StartAsync()
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var port = FreePort.Next();
        var minRelay = RandomNumberGenerator.GetInt32(49152, 64900);
        var directory = new TempDirectory("parley-coturn");
        var start = new ProcessStartInfo("/usr/bin/turnserver") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory.Path };
        foreach (var arg in new[]
        {
            "-n", "--verbose", "--log-file=stdout", "--simple-log", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
            "--listening-port=" + port.ToString(CultureInfo.InvariantCulture),
            "--min-port=" + minRelay.ToString(CultureInfo.InvariantCulture), "--max-port=" + (minRelay + 99).ToString(CultureInfo.InvariantCulture),
            "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=parley.test",
            "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers", "--no-software-attribute", "--no-stun",
            "--pidfile=" + Path.Combine(directory.Path, "turnserver.pid"), "--userdb=" + Path.Combine(directory.Path, "turndb"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("turnserver did not start.");
        var result = new CoturnProcess(process, directory, port, secret);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = $"UDP listener opened on: 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (result._output)
            {
                result._output.AppendLine(e.Data);
            }

            if (e.Data.Contains(listening, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync()).WaitAsync(TestTimeouts.ServerStart);
            if (first != ready.Task)
            {
                throw new InvalidOperationException("turnserver exited: " + result.Output);
            }

            return result;
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TestTimeouts.ServerStart);
        }

        _process.Dispose();
        _directory.Dispose();
    }
}
