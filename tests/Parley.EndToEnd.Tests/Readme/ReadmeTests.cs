using System.Diagnostics;
using System.Text;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Readme;

/// <summary>
/// README.md followed as a newcomer follows it: <c>parley-server</c> started with its defaults in an
/// empty directory, then every line of "Try it" run through bash as written, with <c>parley</c> and
/// <c>parley-server</c> on the PATH (the build outputs beside these tests stand in for the installed
/// single files). Each command must succeed and print what the README shows under it, so the test
/// fails when the README drifts from reality.
/// </summary>
/// <remarks>
/// The only changes to the README's text: the server listens on a free port instead of 8443 (and its
/// metrics listener on another instead of 9464), <c>/tmp/</c> homes live in the test's own directory,
/// and <c>register</c>, which asks for a password on a terminal, gets <c>--password-stdin</c>.
/// </remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReadmeTests
{
    private const string Password = "correct horse battery staple 42";
    private static readonly TimeSpan StepTimeout = TestTimeouts.Command;

    [Fact]
    public async Task Try_it_works_as_written_and_prints_what_the_readme_shows()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"));
        Assert.Contains("\n    parley-server\n", readme, StringComparison.Ordinal);
        var walkthrough = ReadmeWalkthrough.Parse(readme, "## Try it");
        Assert.Contains(walkthrough.Steps, s => s.Command.Contains(" send ", StringComparison.Ordinal));
        Assert.All(walkthrough.Steps.Where(s => ReadmeWalkthrough.AssignedVariable(s.Command) is null), s => Assert.NotEmpty(s.Shown));

        using var root = new TempDirectory("parley-readme");
        var work = root.Sub("work");
        var bin = WriteCommands(root.Sub("bin"));
        var sandbox = root.Sub("tmp");
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["HOME"] = root.Sub("home"),
            ["PARLEY_HOME"] = null,
            ["PARLEY_RUNTIME_DIR"] = root.Sub("run"),
            ["NO_COLOR"] = "1",
            ["TERM"] = "dumb",
        };
        await File.WriteAllBytesAsync(Path.Combine(work, "some-file.pdf"), Encoding.ASCII.GetBytes("%PDF-1.4\n% a small file for the README walkthrough\n"));

        var port = FreePort.Next();
        await using var server = await ShellProcess.StartServerAsync(work, environment,
            $"parley-server --urls https://127.0.0.1:{port} --Metrics:Urls http://127.0.0.1:{FreePort.Next()}");
        foreach (var step in walkthrough.Steps)
        {
            string Local(string text) => text.Replace("https://127.0.0.1:8443", $"https://127.0.0.1:{port}", StringComparison.Ordinal)
                .Replace(" /tmp/", " " + sandbox + "/", StringComparison.Ordinal);
            var command = Local(step.Command);
            var shown = step.Shown.Select(Local).ToList();
            string? stdin = null;
            if (command.Contains(" register ", StringComparison.Ordinal))
            {
                command += " --password-stdin";
                stdin = Password + "\n";
            }

            if (ReadmeWalkthrough.AssignedVariable(command) is { } variable)
            {
                var assigned = await ShellProcess.RunAsync(work, environment, command + "\nprintf '%s' \"$" + variable + "\"", stdin, StepTimeout);
                Assert.True(assigned.ExitCode == 0 && assigned.Stdout.Length > 0, Describe(step, assigned, server.Output));
                environment[variable] = assigned.Stdout;
                continue;
            }

            var result = await ShellProcess.RunAsync(work, environment, command, stdin, StepTimeout);
            Assert.True(result.ExitCode == 0, Describe(step, result, server.Output));
            Assert.True(ReadmeWalkthrough.Shows(shown, result.Stdout + result.Stderr), Describe(step, result, server.Output));
        }
    }

    [Fact]
    public void A_shown_line_that_the_output_lacks_fails_the_walkthrough()
    {
        const string readme = "# P\n\n## Try it\n\nIntro:\n\n    X=$(true)\n    parley send bob hi\n    # sent to bob\n    parley receive\n    # … alice: hello\n    # done\n\nAfter.\n";
        var walkthrough = ReadmeWalkthrough.Parse(readme, "## Try it");
        Assert.Equal(["X=$(true)", "parley send bob hi", "parley receive"], walkthrough.Steps.Select(s => s.Command));
        Assert.Equal("X", ReadmeWalkthrough.AssignedVariable(walkthrough.Steps[0].Command));
        Assert.True(ReadmeWalkthrough.Shows(walkthrough.Steps[1].Shown, "sent to bob\n"));
        Assert.False(ReadmeWalkthrough.Shows(walkthrough.Steps[1].Shown, "queued: the server is unreachable\n"));
        Assert.False(ReadmeWalkthrough.Shows(walkthrough.Steps[1].Shown, "not sent to bob\n"));
        Assert.True(ReadmeWalkthrough.Shows(walkthrough.Steps[2].Shown, "2026-11-30 09:46 alice: hello\nnoise\ndone\n"));
        Assert.False(ReadmeWalkthrough.Shows(walkthrough.Steps[2].Shown, "done\n2026-11-30 09:46 alice: hello\n"));
    }

    private static string Describe(ReadmeStep step, CliResult result, string serverOutput) =>
        "README step: " + step.Command + "\nREADME shows:\n" + string.Join("\n", step.Shown) + "\nactual: " + result + "\nserver:\n" + serverOutput;

    /// <summary><c>parley</c> and <c>parley-server</c> as the installed commands, running the build outputs.</summary>
    private static string WriteCommands(string bin)
    {
        foreach (var (name, dll) in new[] { ("parley", "parley.dll"), ("parley-server", "parley-server.dll") })
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, "#!/bin/sh\nexec dotnet '" + Path.Combine(AppContext.BaseDirectory, dll) + "' \"$@\"\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return bin;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>bash, running one README line (or the server) in the walkthrough's directory and environment.</summary>
    private sealed class ShellProcess : IAsyncDisposable
    {
        private const string ListeningPrefix = "Parley server listening on ";
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ShellProcess(Process process) => _process = process;

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

        public static async Task<ShellProcess> StartServerAsync(string directory, Dictionary<string, string?> environment, string command)
        {
            var server = new ShellProcess(Process.Start(StartInfo(directory, environment, "exec " + command))
                ?? throw new InvalidOperationException("bash did not start."));
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server._process.OutputDataReceived += (_, e) => server.Append(e.Data, listening);
            server._process.ErrorDataReceived += (_, e) => server.Append(e.Data, null);
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            server._process.StandardInput.Close();
            var first = await Task.WhenAny(listening.Task, server._process.WaitForExitAsync()).WaitAsync(TestTimeouts.ServerStart);
            if (first != listening.Task)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("parley-server exited during start-up:\n" + server.Output);
            }

            return server;
        }

        public static async Task<CliResult> RunAsync(string directory, Dictionary<string, string?> environment, string command, string? stdin, TimeSpan timeout)
        {
            using var process = Process.Start(StartInfo(directory, environment, command)) ?? throw new InvalidOperationException("bash did not start.");
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (stdin is not null)
                {
                    await process.StandardInput.WriteAsync(stdin);
                }

                process.StandardInput.Close();
                await process.WaitForExitAsync().WaitAsync(timeout);
                return new CliResult(process.ExitCode, await stdout, await stderr);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
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
        }

        private static ProcessStartInfo StartInfo(string directory, Dictionary<string, string?> environment, string command)
        {
            var start = new ProcessStartInfo("bash")
            {
                WorkingDirectory = directory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-euo");
            start.ArgumentList.Add("pipefail");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            return start;
        }

        private void Append(string? line, TaskCompletionSource? listening)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (listening is not null && line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }
    }
}
