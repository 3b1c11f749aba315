using System.Diagnostics;

namespace Parley.Web.Tests;

/// <summary>Runs the web app's own unit tests (node:test, src/Parley.Web/app/test) inside <c>dotnet test</c>.</summary>
public sealed class WebAppUnitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_web_apps_logic_tests_pass()
    {
        var start = new ProcessStartInfo("npm", "test")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot(), "src", "Parley.Web", "app"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string text = await output + await error;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("# fail 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", text, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Parley.slnx) was not found above the test binaries.");
    }
}
