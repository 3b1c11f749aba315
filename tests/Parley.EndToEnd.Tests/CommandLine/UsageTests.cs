using System.Text.Json;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.CommandLine;

/// <summary>Usage errors exit 2 before anything runs; help pages are manual pages.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new string[0], "needs a command")]
    [InlineData(new[] { "bogus" }, "'bogus' is not a command")]
    [InlineData(new[] { "send" }, "USER")]
    [InlineData(new[] { "send", "bob" }, "TEXT")]
    [InlineData(new[] { "file" }, "needs a command: send, get")]
    [InlineData(new[] { "whoami", "--foo" }, "--foo")]
    [InlineData(new[] { "send", "bob", "hi", "--foo" }, "Unknown option '--foo'")]
    [InlineData(new[] { "history", "bob", "-x" }, "'-x'")]
    [InlineData(new[] { "send", "B@d", "hi" }, "contains '@'")]
    [InlineData(new[] { "send", "al", "hi" }, "too short")]
    [InlineData(new[] { "help", "nope" }, "no command 'parley nope'")]
    public async Task Usage_errors_exit_2_and_say_what_is_wrong(string[] args, string expected)
    {
        using var temp = new TempDirectory("parley-usage");
        var cli = new Infrastructure.Cli(temp.Sub("home"), temp.Sub("run"));
        var result = await cli.RunAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task With_json_a_usage_error_is_one_json_object_on_stderr()
    {
        using var temp = new TempDirectory("parley-usage");
        var cli = new Infrastructure.Cli(temp.Sub("home"), temp.Sub("run"));
        var result = await cli.RunAsync(null, "send", "bob", "hi", "--foo", "--json");
        Assert.Equal(2, result.ExitCode);
        var error = JsonDocument.Parse(result.Stderr.Trim()).RootElement;
        Assert.Equal("usage", error.GetProperty("error").GetString());
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Contains("--foo", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var notLoggedIn = await cli.RunAsync(null, "whoami", "--json");
        Assert.Equal(8, notLoggedIn.ExitCode);
        Assert.Equal("not-logged-in", JsonDocument.Parse(notLoggedIn.Stderr.Trim()).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("send")]
    [InlineData("file", "send")]
    [InlineData("login")]
    [InlineData("contacts")]
    public async Task Help_command_and_help_option_print_the_same_manual_page(params string[] command)
    {
        using var temp = new TempDirectory("parley-help");
        var cli = new Infrastructure.Cli(temp.Sub("home"), temp.Sub("run"));
        var viaCommand = await cli.RunAsync(["help", .. command]);
        var viaOption = await cli.RunAsync([.. command, "--help"]);
        Assert.Equal(0, viaCommand.ExitCode);
        Assert.Equal(0, viaOption.ExitCode);
        Assert.Equal(viaCommand.Stdout, viaOption.Stdout);
        foreach (var section in new[] { "NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES" })
        {
            Assert.Contains("\n" + section + "\n", "\n" + viaCommand.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("parley " + string.Join(' ', command) + " - ", viaCommand.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_a_manual_page_with_examples()
    {
        using var temp = new TempDirectory("parley-help");
        var cli = new Infrastructure.Cli(temp.Sub("home"), temp.Sub("run"));
        var root = await cli.RunAsync(null, "help");
        var commands = root.Stdout[root.Stdout.IndexOf("\nCOMMANDS\n", StringComparison.Ordinal)..root.Stdout.IndexOf("\nOPTIONS\n", StringComparison.Ordinal)]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Where(line => !line.StartsWith("Run ", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[0])
            .ToList();
        Assert.Contains("send", commands);
        Assert.Contains("password", commands);
        foreach (var command in commands)
        {
            var page = await cli.RunAsync(null, "help", command);
            Assert.True(page.ExitCode == 0, page.ToString());
            Assert.Contains("\nEXAMPLES\n", page.Stdout, StringComparison.Ordinal);
        }
    }
}
