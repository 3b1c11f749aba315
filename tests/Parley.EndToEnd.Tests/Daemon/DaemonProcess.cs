using System.Diagnostics;
using System.Text;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>
/// A real <c>parley daemon</c> as a child process for one home: waits for the addresses it prints
/// (socket, port, secret in the web URL's fragment), stops with SIGTERM or dies with SIGKILL.
/// </summary>
internal sealed class DaemonProcess : ILocalDaemon, IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string SocketPath { get; private set; } = string.Empty;

    public int Port { get; private set; }

    public string Token { get; private set; } = string.Empty;

    public int ProcessId => _process.Id;

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

    public static async Task<DaemonProcess> StartAsync(Infrastructure.Cli cli, params string[] args)
    {
        var daemon = new DaemonProcess(Process.Start(Info(cli, args)) ?? throw new InvalidOperationException("parley daemon did not start."));
        var first = await Task.WhenAny(daemon._ready.Task, daemon._process.WaitForExitAsync()).WaitAsync(TestTimeouts.ServerStart);
        if (first != daemon._ready.Task)
        {
            throw new InvalidOperationException("parley daemon exited during start-up:\n" + daemon.Output);
        }

        return daemon;
    }

    /// <summary>Waits until the daemon's output (stdout and stderr so far) satisfies <paramref name="done"/>.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Command;
        while (true)
        {
            Task next;
            lock (_output)
            {
                if (done(_output.ToString()))
                {
                    return;
                }

                next = _lineArrived.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("The daemon never printed what the test waits for.");
            }

            await next.WaitAsync(left);
        }
    }

    /// <summary>Runs a daemon that is expected to exit by itself (e.g. a second one on the same home).</summary>
    public static async Task<CliResult> RunToExitAsync(Infrastructure.Cli cli, params string[] args)
    {
        using var process = Process.Start(Info(cli, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Command);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>SIGTERM, then waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync().WaitAsync(TestTimeouts.Command);
        }

        await _process.WaitForExitAsync().WaitAsync(TestTimeouts.Command);
        return _process.ExitCode;
    }

    /// <summary>kill -9: no clean-up at all.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TestTimeouts.Command);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TestTimeouts.Command);
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Info(Infrastructure.Cli cli, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "parley.dll"));
        foreach (var arg in (string[])["--home", cli.Home, "daemon", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PARLEY_RUNTIME_DIR"] = cli.RuntimeDirectory;
        start.Environment["PARLEY_HOME"] = null;
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource arrived;
        lock (_output)
        {
            _output.AppendLine(line);
            arrived = _lineArrived;
            _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();

        const string SocketPrefix = "Local API socket: ";
        const string WebPrefix = "Web app: ";
        if (line.StartsWith(SocketPrefix, StringComparison.Ordinal))
        {
            SocketPath = line[SocketPrefix.Length..].Trim();
        }
        else if (line.StartsWith(WebPrefix, StringComparison.Ordinal))
        {
            var url = new Uri(line[WebPrefix.Length..].Trim());
            Port = url.Port;
            Token = url.Fragment["#token=".Length..];
            _ready.TrySetResult();
        }
    }
}
