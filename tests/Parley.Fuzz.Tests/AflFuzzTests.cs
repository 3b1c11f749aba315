using System.Diagnostics;
using System.Globalization;

namespace Parley.Fuzz.Tests;

/// <summary>
/// The short coverage-guided run CI does on every build: the harness is copied, seeded from the valid
/// encodings, its product assemblies instrumented with SharpFuzz, and afl-fuzz runs the multiplexing
/// target (every decoder) for <see cref="FuzzSeconds"/> with a 256 MiB managed-heap cap. Any crash
/// fails the test with the input's hex and the target it selects; the crash then becomes a file under
/// Regressions/. afl-fuzz missing is a failure, not a skip.
/// </summary>
public sealed class AflFuzzTests
{
    /// <summary>Length of the CI run (the issue allows two minutes in all, setup included).</summary>
    public const int FuzzSeconds = 75;

    /// <summary>Fewer executions than this means afl-fuzz did not really fuzz (a broken fork server, say).</summary>
    private const long MinimumExecutions = 1_000;

    /// <summary>Starts of afl-fuzz tried when its dry run sees no coverage (see the test).</summary>
    private const int MaxAttempts = 3;

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_bounded_afl_run_over_every_decoder_finds_no_crash()
    {
        var afl = FindOnPath("afl-fuzz");
        Assert.True(afl is not null, "afl-fuzz is not installed: install the Debian package afl++ (apt-get install -y afl++), as .ci/run does.");
        var work = Directory.CreateTempSubdirectory("parley-fuzz-");
        try
        {
            var bin = Path.Combine(work.FullName, "bin");
            CopyDirectory(AppContext.BaseDirectory, bin);
            var harness = Path.Combine(bin, "Parley.Fuzz.dll");
            var seeds = Path.Combine(work.FullName, "seeds");
            await RunAsync("dotnet", [harness, "seeds", seeds, "All"], StepTimeout);
            await RunAsync("dotnet", [harness, "instrument", bin], StepTimeout);

            // On a loaded machine afl-fuzz's dry run now and then sees an empty map from the .NET fork
            // server and aborts with "No instrumentation detected"; a second start works.
            var output = Path.Combine(work.FullName, "out");
            for (var attempt = 1; ; attempt++)
            {
                var (exitCode, log) = await RunAsync(afl, ["-V", FuzzSeconds.ToString(CultureInfo.InvariantCulture), "-t", "5000", "-m", "none", "-i", seeds, "-o", output, "--", "dotnet", harness, "run", "All"],
                    TimeSpan.FromSeconds(FuzzSeconds) + StepTimeout, AflEnvironment, check: false);
                if (exitCode == 0 || attempt == MaxAttempts || !log.Contains("No instrumentation detected", StringComparison.Ordinal))
                {
                    Assert.True(exitCode == 0, $"afl-fuzz exited {exitCode}:\n{Tail(log)}");
                    break;
                }

                Directory.Delete(output, recursive: true);
            }

            var stats = ReadStats(Path.Combine(output, "default", "fuzzer_stats"));
            Assert.True(long.Parse(stats["execs_done"], CultureInfo.InvariantCulture) >= MinimumExecutions, $"afl-fuzz ran only {stats["execs_done"]} executions");
            var crashes = Directory.GetFiles(Path.Combine(output, "default", "crashes")).Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal)).ToList();
            Assert.True(crashes.Count == 0, "afl-fuzz found crashes (add each to Regressions/All/ and fix):\n" + string.Join('\n', crashes.Select(Describe)));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> AflEnvironment { get; } = new(StringComparer.Ordinal)
    {
        ["AFL_SKIP_BIN_CHECK"] = "1",
        ["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1",
        ["AFL_SKIP_CPUFREQ"] = "1",
        ["AFL_NO_AFFINITY"] = "1",
        ["AFL_NO_UI"] = "1",
        ["DOTNET_GCHeapHardLimit"] = "0x10000000",
    };

    private static string Describe(string crash)
    {
        var bytes = File.ReadAllBytes(crash);
        var target = bytes.Length == 0 ? "(empty)" : Targets.AllTargets.Singles[bytes[0] % Targets.AllTargets.Singles.Count].Name;
        return $"{Path.GetFileName(crash)}: {target} <- {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 512)))}";
    }

    private static Dictionary<string, string> ReadStats(string path) =>
        File.ReadAllLines(path).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string file, string[] arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, bool check = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Fail($"{Path.GetFileName(file)} {arguments.FirstOrDefault()} did not finish in {timeout}");
        }

        var output = await stdout + await stderr;
        Assert.True(!check || process.ExitCode == 0, $"{Path.GetFileName(file)} {string.Join(' ', arguments.Take(2))} exited {process.ExitCode}:\n{Tail(output)}");
        return (process.ExitCode, output);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
