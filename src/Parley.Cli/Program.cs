using System.CommandLine;
using Parley.Cli.Commands;

// Thin entry point: the command tree lives in Commands/, the SDK in Parley.Client.
var root = CommandTree.Build();
var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
return await root.Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
