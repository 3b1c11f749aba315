using System.Diagnostics;
using System.Text.Json;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>What one run of <c>parley</c> did.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as JSON lines.</summary>
    public IReadOnlyList<JsonElement> JsonLines =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs the real <c>parley</c> executable (<c>dotnet parley.dll</c>, the build output beside the tests)
/// with a given home and a private runtime directory for unlocked keys, so parallel tests never share
/// a logged-in state. Standard input is closed after the given text: every run is non-interactive.
/// </summary>
internal sealed class Cli
{
    public Cli(string home, string runtimeDirectory)
    {
        Home = home;
        RuntimeDirectory = runtimeDirectory;
    }

    public string Home { get; }

    public string RuntimeDirectory { get; }

    public async Task<CliResult> RunAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "parley.dll"));
        start.ArgumentList.Add("--home");
        start.ArgumentList.Add(Home);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PARLEY_RUNTIME_DIR"] = RuntimeDirectory;
        start.Environment["PARLEY_HOME"] = null;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["TERM"] = "dumb";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("parley did not start.");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TestTimeouts.Command).ConfigureAwait(false);
            return new CliResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);
}
