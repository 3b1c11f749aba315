using System.Diagnostics;
using System.Text;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A helper server the tests start (s3rver, redis-server, nginx): output captured, started when a
/// line saying it is ready appears (bounded by a timeout), killed with its children on dispose and,
/// should the test host be killed first, by a detached watchdog that outlives it.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, bool> isReady;

    private ExternalProcess(Process process, Func<string, bool> isReady)
    {
        this.process = process;
        this.isReady = isReady;
    }

    /// <summary>The process id.</summary>
    public int Id => process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Everything printed so far (for failure messages).</summary>
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

    /// <summary>Starts <paramref name="file"/> and waits until a printed line satisfies <paramref name="isReady"/>.</summary>
    public static async Task<ExternalProcess> StartAsync(string file, IEnumerable<string> args, Func<string, bool> isReady,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var started = new ExternalProcess(process, isReady);
        process.OutputDataReceived += (_, e) => started.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => started.OnLine(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => started.ready.TrySetException(
            new InvalidOperationException($"{Path.GetFileName(file)} exited before it was ready: {started.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Watch(process.Id);
        try
        {
            await started.ready.Task.WaitAsync(ReadyTimeout);
        }
        catch (TimeoutException)
        {
            await started.DisposeAsync();
            throw new TimeoutException($"{Path.GetFileName(file)} was not ready within {ReadyTimeout}: {started.Output}");
        }

        return started;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        process.Dispose();
    }

    /// <summary>A detached shell that kills <paramref name="pid"/> once this test host is gone.</summary>
    private static void Watch(int pid)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; kill -9 {pid} 2>/dev/null";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in (string[])["sh", "-c", script])
        {
            start.ArgumentList.Add(a);
        }

        using var watchdog = Process.Start(start);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 200_000)
            {
                output.AppendLine(line);
            }
        }

        if (isReady(line))
        {
            ready.TrySetResult();
        }
    }
}
