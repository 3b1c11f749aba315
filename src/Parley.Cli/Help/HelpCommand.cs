using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Parley.Cli.Output;

namespace Parley.Cli.Help;

/// <summary>
/// <c>parley help [COMMAND...]</c> and the <c>--help</c> option of every command: both print the
/// command's manual page (<see cref="ManPage"/>) on standard output and exit 0.
/// </summary>
internal static class HelpCommand
{
    /// <summary>Adds the <c>help</c> command to <paramref name="root"/> and makes <c>--help</c> print manual pages.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options.OfType<HelpOption>())
        {
            option.Action = new PageAction(root);
        }

        var words = new Argument<string[]>("COMMAND") { Description = "The command, e.g. 'send' or 'file send' (none: parley itself).", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show the manual page of a command.") { words };
        help.SetAction(parse =>
        {
            var path = parse.GetValue(words) ?? [];
            if (Find(root, path) is not { } command)
            {
                CliOutput.Failure(parse.GetValue(Commands.GlobalOptions.Json), "usage", $"There is no command 'parley {string.Join(' ', path)}'; 'parley help' lists them.", ExitCodes.Usage);
                return ExitCodes.Usage;
            }

            Console.Out.Write(ManPage.Render(root, command, Width(Console.IsOutputRedirected)));
            return ExitCodes.Success;
        });
        root.Add(help);
    }

    /// <summary>The wrapping width: the terminal's, or 0 (no wrapping) when the output is redirected.</summary>
    public static int Width(bool redirected)
    {
        if (redirected)
        {
            return 0;
        }

        try
        {
            return Math.Clamp(Console.WindowWidth, 40, 120);
        }
        catch (IOException)
        {
            return 80;
        }
    }

    private static Command? Find(Command root, IReadOnlyList<string> path)
    {
        var command = root;
        foreach (var word in path)
        {
            command = command.Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word));
            if (command is null)
            {
                return null;
            }
        }

        return command;
    }

    /// <summary>The action behind <c>--help</c>: the manual page of the command it was given to.</summary>
    private sealed class PageAction(RootCommand root) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            Console.Out.Write(ManPage.Render(root, parseResult.CommandResult.Command, Width(Console.IsOutputRedirected)));
            return ExitCodes.Success;
        }
    }
}
