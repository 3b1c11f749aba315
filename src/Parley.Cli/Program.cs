using System.CommandLine;
using Parley.Cli.Commands;
using Parley.Cli.Help;
using Parley.Cli.Output;

namespace Parley.Cli;

/// <summary>
/// Thin entry point: the command tree lives in Commands/, the SDK in Parley.Client, the API and the
/// daemon in Parley.Daemon. (A named class, not top-level statements: the end-to-end tests reference
/// both this assembly and the server's, and two global <c>Program</c> types would collide.)
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = CommandTree.Build();
        var parse = root.Parse(GlobalOptions.Normalize(args, out var debugError));
        if (debugError is not null)
        {
            CliOutput.Failure(parse.GetValue(GlobalOptions.Json), "usage", debugError, ExitCodes.Usage);
            return ExitCodes.Usage;
        }

        if (parse.Action is not System.CommandLine.Invocation.SynchronousCommandLineAction { ClearsParseErrors: true } && Usage.Errors(parse) is { Count: > 0 } errors)
        {
            var json = parse.GetValue(GlobalOptions.Json);
            foreach (var error in errors)
            {
                CliOutput.Failure(json, "usage", error, ExitCodes.Usage);
            }

            if (!json)
            {
                Console.Error.WriteLine($"Run '{Usage.CommandName(parse)} --help' for its manual page.");
            }

            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(configuration).ConfigureAwait(false);
    }
}
