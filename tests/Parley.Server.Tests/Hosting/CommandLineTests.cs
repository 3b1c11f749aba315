using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// The <c>parley-server</c> command line, run as the real process: help for the server and every
/// command, usage errors and bad configuration values as one sentence with exit code 2.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Help_lists_every_command_and_does_not_start_the_server()
    {
        var (exit, output) = await ServerProcess.RunCommandAsync("--help");
        Assert.Equal(0, exit);
        foreach (var command in (string[])["fingerprint", "users", "invites", "stats", "--data", "--urls", "--http", "--log-format"])
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fingerprint", "--help")]
    [InlineData("users", "--help")]
    [InlineData("users", "add", "--help")]
    [InlineData("invites", "--help")]
    [InlineData("invites", "create", "--help")]
    [InlineData("stats", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var (exit, output) = await ServerProcess.RunCommandAsync(args);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("users")]
    [InlineData("users", "add")]
    [InlineData("invites", "create", "--count", "0")]
    [InlineData("invites", "create", "--count", "1001")]
    [InlineData("no-such-command")]
    public async Task Usage_errors_exit_2_with_one_sentence(params string[] args)
    {
        var (exit, output) = await ServerProcess.RunCommandAsync([.. args, "--data", _data.Path]);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Accounts:PowDifficulty=99", "Accounts:PowDifficulty must be between 0 and 40.")]
    [InlineData("--Relay:QueueTtl=banana", "'Relay:QueueTtl'")]
    [InlineData("--Storage:Provider=mysql", "Storage:Provider must be 'sqlite' or 'postgres'.")]
    [InlineData("--Storage:Provider=postgres", "Storage:ConnectionString is required for PostgreSQL.")]
    [InlineData("--Metrics:BearerToken=short", "Metrics:BearerToken must be at least 32 characters long.")]
    [InlineData("--Metrics:Urls=http://0.0.0.0:9464", "Metrics:BearerToken")]
    [InlineData("--Metrics:Urls=ftp://127.0.0.1:1", "Metrics:Urls must be")]
    [InlineData("--Tls:CertificatePath=/nonexistent/cert.pem", "Tls:CertificatePath")]
    public async Task A_bad_configuration_value_is_one_sentence_and_exit_code_2(string setting, string expected)
    {
        var (exit, output) = await ServerProcess.RunCommandAsync("--data", _data.Path, setting, "--urls", "https://127.0.0.1:" + FreePort.Next());
        Assert.Equal(2, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("parley-server: ", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_commands_validate_the_configuration_too()
    {
        var (exit, output) = await ServerProcess.RunCommandAsync("invites", "create", "--data", _data.Path, "--Accounts:LoginLifetime=-1");
        Assert.Equal(2, exit);
        Assert.Contains("Accounts:LoginLifetime must be between", output, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}
