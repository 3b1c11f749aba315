using System.Diagnostics;
using System.Text;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>parley-server</c> as a child process (the build output copied beside the tests),
/// listening on a free port on 127.0.0.1. Start waits for the "listening" line.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerProcess(Process process, int port, int metricsPort)
    {
        this.process = process;
        Port = port;
        MetricsPort = metricsPort;
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The port of the metrics listener (plain HTTP on 127.0.0.1).</summary>
    public int MetricsPort { get; }

    /// <summary>The process id (to send it signals).</summary>
    public int ProcessId => process.Id;

    /// <summary>Waits for the process to exit on its own; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Runs <c>parley-server ARGS</c> to completion (admin commands); returns exit code and stdout.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args) => RunCommandWithInputAsync(null, args);

    /// <summary>Runs <c>parley-server ARGS</c> with <paramref name="input"/> on standard input.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandWithInputAsync(string? input, params string[] args)
    {
        var start = StartInfo(args);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input).WaitAsync(StartTimeout);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts the server with HTTPS on a free port and extra arguments; waits until it listens.</summary>
    public static Task<ServerProcess> StartAsync(params string[] args) => StartWithSchemeAsync("https", args);

    /// <summary>Starts the server on a free port with the given scheme (<c>http</c> needs <c>--http</c> in the arguments).</summary>
    public static Task<ServerProcess> StartWithSchemeAsync(string scheme, params string[] args) =>
        StartOnPortAsync(scheme, FreePort.Next(), args);

    /// <summary>Starts the server on a given port (a restarted cluster node keeps its place behind nginx).</summary>
    public static Task<ServerProcess> StartOnPortAsync(string scheme, int port, params string[] args) =>
        StartOnPortAsync(scheme, port, StartTimeout, args);

    /// <summary>Starts the server on a given port, waiting up to <paramref name="timeout"/> for it to listen.</summary>
    public static async Task<ServerProcess> StartOnPortAsync(string scheme, int port, TimeSpan timeout, params string[] args)
    {
        var metricsPort = FreePort.Next();
        var process = Process.Start(StartInfo(["--Metrics:Urls=http://127.0.0.1:" + metricsPort, .. args, "--urls", $"{scheme}://127.0.0.1:{port}"]))
            ?? throw new InvalidOperationException("no process");
        var server = new ServerProcess(process, port, metricsPort);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Append(e.Data, listening);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited).WaitAsync(timeout);
        if (first == exited)
        {
            throw new InvalidOperationException("parley-server exited during start-up:\n" + server.Output);
        }
        return server;
    }

    private int disposed;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(StartTimeout);
        }
        process.Dispose();
    }

    private void Append(string? line, TaskCompletionSource? listening)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
        if (listening is not null && line.StartsWith("Parley server listening on ", StringComparison.Ordinal))
        {
            listening.TrySetResult();
        }
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "parley-server.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }
}
