using System.CommandLine;
using Parley.Cli.Commands;
using Parley.Cli.Help;
using Parley.Cli.Output;

// Thin entry point: the command tree lives in Commands/, the SDK in Parley.Client.
var root = CommandTree.Build();
var parse = root.Parse(args);
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
