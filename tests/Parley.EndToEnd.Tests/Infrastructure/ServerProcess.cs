using System.Diagnostics;
using System.Text;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real <c>parley-server</c> (its build output beside the tests) as a child process with its own
/// data directory, HTTPS on a fixed free port of 127.0.0.1 (kept across restarts), low proof-of-work
/// and generous throttles so a test's many logins from one address are not mistaken for an attack.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "Parley server listening on ";
    private const string FingerprintPrefix = "TLS certificate fingerprint ";
    private readonly StringBuilder _output = new();
    private string[] _extraArguments;
    private Process? _process;

    /// <summary>A server on <paramref name="dataDirectory"/>; <paramref name="extraArguments"/> (e.g. <c>--Accounts:X 2</c>) override the defaults below.</summary>
    public ServerProcess(string dataDirectory, params string[] extraArguments)
    {
        DataDirectory = dataDirectory;
        _extraArguments = extraArguments;
        Port = FreePort.Next();
        MetricsPort = FreePort.Next();
    }

    public string DataDirectory { get; private set; }

    public int Port { get; }

    /// <summary>The metrics listener's port (plain HTTP on 127.0.0.1; fixed, so parallel servers never share 9464).</summary>
    public int MetricsPort { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>The certificate fingerprint the server printed (<c>SHA256:…</c>).</summary>
    public string Fingerprint { get; private set; } = string.Empty;

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

    public static async Task<ServerProcess> LaunchAsync(string dataDirectory, params string[] extraArguments)
    {
        var server = new ServerProcess(dataDirectory, extraArguments);
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts (or restarts) the process; optionally on another data directory (a new certificate).</summary>
    public async Task StartAsync(string? newDataDirectory = null)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("Already running.");
        }

        DataDirectory = newDataDirectory ?? DataDirectory;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "parley-server.dll"));
        foreach (var arg in new[]
        {
            "--data", DataDirectory, "--urls", Url, "--Metrics:Urls", "http://127.0.0.1:" + MetricsPort,
            "--Accounts:PowDifficulty", "4",
            "--Accounts:AuthRequestsPerAddressPerMinute", "100000",
            "--Accounts:LoginFailuresBeforePow", "1000",
            "--Accounts:LoginFailuresBeforeLockout", "1000",
            "--Accounts:LoginAccountFailuresBeforeLockout", "1000",
            "--Accounts:LoginAddressFailuresBeforeLockout", "100000",
            "--Accounts:MaxOpenLoginsPerAddress", "1000",
            "--Contacts:RequestsPerRequesterPerHour", "100000",
            "--Accounts:RegistrationsPerMinuteThreshold", "100000",
            "--Keys:FetchesPerPairPerHour", "100000",
            "--Keys:FetchesPerRequesterPerHour", "100000",
            "--Keys:FetchesPerTargetPerHour", "100000",
            "--Logging:LogLevel:Default", "Warning",
        }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("parley-server did not start.");
        _process = process;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => OnLine(e.Data, listening);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync()).WaitAsync(TestTimeouts.ServerStart).ConfigureAwait(false);
        if (first != listening.Task)
        {
            throw new InvalidOperationException("parley-server exited during start-up:\n" + Output);
        }
    }

    /// <summary>Replaces the overrides for the next <see cref="StartAsync"/> (a restart with another configuration).</summary>
    public void Reconfigure(params string[] extraArguments) => _extraArguments = extraArguments;

    /// <summary>
    /// Freezes (SIGSTOP) or thaws (SIGCONT) the running server: what clients send while it is frozen
    /// waits in the sockets, so a test can make two sends cross in flight (call glare) without timing.
    /// </summary>
    public async Task FreezeAsync(bool frozen)
    {
        var process = _process ?? throw new InvalidOperationException("The server is not running.");
        using var kill = Process.Start("kill", [frozen ? "-STOP" : "-CONT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync().WaitAsync(TestTimeouts.Command).ConfigureAwait(false);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {(frozen ? "-STOP" : "-CONT")} failed with {kill.ExitCode}.");
        }
    }

    /// <summary>Kills the process (as a crash or an operator's restart would) and waits for it to end.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TestTimeouts.ServerStart).ConfigureAwait(false);
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void OnLine(string? line, TaskCompletionSource? listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith(FingerprintPrefix, StringComparison.Ordinal))
        {
            Fingerprint = line[FingerprintPrefix.Length..].Trim();
        }

        if (listening is not null && line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
        {
            listening.TrySetResult();
        }
    }
}
