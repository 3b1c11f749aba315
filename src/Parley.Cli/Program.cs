using System.CommandLine;
using Parley.Cli.Commands;

namespace Parley.Cli;

/// <summary>Thin entry point: the command tree lives in Commands/, the SDK in Parley.Client, the API and daemon in Parley.Daemon.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = CommandTree.Build();
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        return await root.Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
    }
}
