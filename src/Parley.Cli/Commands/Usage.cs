using System.CommandLine;
using System.CommandLine.Parsing;
using Parley.Cli.Output;

namespace Parley.Cli.Commands;

/// <summary>
/// Usage errors, found before any command runs: what System.CommandLine reports (unknown command,
/// missing argument, bad value), a word that looks like an option but is none (so
/// <c>parley send bob hi --foo</c> is refused instead of sending "hi --foo"; after <c>--</c> it is
/// text), and a command group run without its subcommand. All exit with code 2.
/// </summary>
internal static class Usage
{
    /// <summary>The usage errors in <paramref name="parse"/>, one sentence each; empty when the command may run.</summary>
    public static IReadOnlyList<string> Errors(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        if (command.Action is null && command.Subcommands.Count > 0)
        {
            var names = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return parse.UnmatchedTokens.Count > 0
                ? [$"'{parse.UnmatchedTokens[0]}' is not a command of '{CommandName(parse)}'; the commands are: {names}."]
                : [$"'{CommandName(parse)}' needs a command: {names}."];
        }

        var errors = parse.Errors.Select(e => e.Message).ToList();
        errors.AddRange(UnknownOptions(parse).Select(token =>
            $"Unknown option '{token}' for '{CommandName(parse)}'. To pass text that starts with '-', put it after '--' (e.g. '{CommandName(parse)} ... -- {token}')."));
        return errors;
    }

    /// <summary>The name of the command as typed: <c>parley file send</c>.</summary>
    public static string CommandName(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        names[0] = "parley";
        return string.Join(' ', names);
    }

    /// <summary>Argument words that start with '-' (other than '-' alone) and come before any '--'.</summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parse)
    {
        var doubleDash = -1;
        for (var i = 0; i < parse.Tokens.Count; i++)
        {
            if (parse.Tokens[i].Type == TokenType.DoubleDash)
            {
                doubleDash = i;
                break;
            }
        }

        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
        {
            foreach (var argument in command.Children.OfType<ArgumentResult>())
            {
                foreach (var token in argument.Tokens)
                {
                    if (token.Value.Length > 1 && token.Value[0] == '-' && !AfterDoubleDash(parse, token, doubleDash))
                    {
                        yield return token.Value;
                    }
                }
            }
        }
    }

    private static bool AfterDoubleDash(ParseResult parse, Token token, int doubleDash)
    {
        if (doubleDash < 0)
        {
            return false;
        }

        for (var i = doubleDash + 1; i < parse.Tokens.Count; i++)
        {
            if (ReferenceEquals(parse.Tokens[i], token))
            {
                return true;
            }
        }

        return false;
    }
}
