using System.CommandLine;
using System.CommandLine.Help;
using System.Text;
using Parley.Cli.Output;

namespace Parley.Cli.Help;

/// <summary>
/// Renders a command's manual page in the classic sections: NAME, SYNOPSIS, DESCRIPTION, ARGUMENTS,
/// COMMANDS, OPTIONS, EXIT STATUS, EXAMPLES. <c>parley help COMMAND</c> and <c>parley COMMAND --help</c>
/// print the same page. Text is wrapped to the terminal's width, and not at all when redirected.
/// </summary>
internal static class ManPage
{
    private const string Indent = "    ";

    /// <summary>Renders the page for <paramref name="command"/>, a command of the tree under <paramref name="root"/>.</summary>
    public static string Render(RootCommand root, Command command, int width)
    {
        var path = PathOf(root, command) ?? [];
        var name = string.Join(' ', ["parley", .. path]);
        var doc = CommandDocs.For(string.Join(' ', path));
        var page = new Page(width);

        page.Heading("NAME");
        page.Paragraph(name + " - " + FirstLine(command.Description));

        page.Heading("SYNOPSIS");
        foreach (var line in Synopsis(name, command))
        {
            page.Paragraph(line);
        }

        page.Heading("DESCRIPTION");
        page.Paragraph(command.Description ?? string.Empty);
        foreach (var paragraph in doc.Details)
        {
            page.Paragraph(paragraph);
        }

        var arguments = command.Arguments.Where(a => !a.Hidden).ToList();
        if (arguments.Count > 0)
        {
            page.Heading("ARGUMENTS");
            page.Rows(arguments.Select(a => (a.Name, a.Description ?? string.Empty)));
        }

        var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
        if (subcommands.Count > 0)
        {
            page.Heading("COMMANDS");
            page.Rows(subcommands.Select(c => (c.Name + ArgumentLabels(c), FirstLine(c.Description))));
            page.Paragraph($"Run '{name} COMMAND --help' (or 'parley help {string.Join(' ', [.. path, "COMMAND"])}') for a command's page.");
        }

        page.Heading("OPTIONS");
        page.Rows(Options(root, command).Select(o => (OptionLabel(o), o.Description ?? string.Empty)));

        page.Heading("EXIT STATUS");
        var codes = doc.ExitCodes.Count == 0 ? ExitCodes.All.Select(e => e.Code).ToHashSet() : [ExitCodes.Success, ExitCodes.Failure, ExitCodes.Usage, .. doc.ExitCodes];
        page.Rows(ExitCodes.All.Where(e => codes.Contains(e.Code)).Select(e => (e.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Meaning)));

        if (doc.Examples.Count > 0)
        {
            page.Heading("EXAMPLES");
            foreach (var (commandLine, meaning) in doc.Examples)
            {
                page.Paragraph(commandLine);
                page.Paragraph(Indent + meaning);
            }
        }

        return page.ToString();
    }

    /// <summary>The words leading from the root to <paramref name="command"/>, or null when it is not in the tree.</summary>
    public static IReadOnlyList<string>? PathOf(Command from, Command command)
    {
        if (ReferenceEquals(from, command))
        {
            return [];
        }

        foreach (var sub in from.Subcommands)
        {
            if (PathOf(sub, command) is { } rest)
            {
                return [sub.Name, .. rest];
            }
        }

        return null;
    }

    private static IEnumerable<string> Synopsis(string name, Command command)
    {
        if (command.Subcommands.Count > 0)
        {
            yield return $"{name} COMMAND [ARGUMENTS] [OPTIONS]";
        }

        if (command.Action is not null)
        {
            var hasOptions = command.Options.Any(o => !o.Hidden && o is not HelpOption);
            yield return name + (hasOptions ? " [OPTIONS]" : string.Empty) + ArgumentLabels(command);
        }
    }

    private static string ArgumentLabels(Command command) =>
        string.Concat(command.Arguments.Where(a => !a.Hidden).Select(a => " " + a.Name + (a.Arity.MaximumNumberOfValues > 1 ? "..." : string.Empty)));

    private static IEnumerable<Option> Options(RootCommand root, Command command)
    {
        var own = command.Options.Where(o => !o.Hidden && o is not HelpOption && o is not VersionOption);
        var global = ReferenceEquals(root, command) ? [] : root.Options.Where(o => o.Recursive && !o.Hidden && o is not HelpOption);
        return [.. own, .. global, .. root.Options.OfType<HelpOption>()];
    }

    private static string OptionLabel(Option option)
    {
        var names = string.Join(", ", option.Aliases.Where(a => a != option.Name && a[0] == '-').OrderBy(a => a.Length).Append(option.Name));
        var takesValue = option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool);
        return takesValue ? $"{names} {option.HelpName ?? "VALUE"}" : names;
    }

    private static string FirstLine(string? text) => (text ?? string.Empty).Split('\n')[0];

    /// <summary>Accumulates sections, wrapping paragraphs at a width (0 = never).</summary>
    private sealed class Page(int width)
    {
        private readonly StringBuilder _text = new();

        public void Heading(string title)
        {
            if (_text.Length > 0)
            {
                _text.AppendLine();
            }

            _text.AppendLine(title);
        }

        public void Paragraph(string text)
        {
            foreach (var line in text.Split('\n'))
            {
                Wrap(line, Indent, Indent);
            }
        }

        public void Rows(IEnumerable<(string Left, string Right)> rows)
        {
            var list = rows.ToList();
            var column = Math.Min(list.Count == 0 ? 0 : list.Max(r => r.Left.Length), 28) + 2;
            foreach (var (left, right) in list)
            {
                if (left.Length + 2 > column)
                {
                    _text.Append(Indent).AppendLine(left);
                    Wrap(right, Indent + new string(' ', column), Indent + new string(' ', column));
                }
                else
                {
                    Wrap(left.PadRight(column) + right, Indent, Indent + new string(' ', column));
                }
            }
        }

        public override string ToString() => _text.ToString();

        private void Wrap(string text, string first, string rest)
        {
            if (width <= 0 || first.Length + text.Length <= width)
            {
                _text.Append(first).AppendLine(text);
                return;
            }

            var prefix = first;
            var line = new StringBuilder();
            foreach (var word in text.Split(' '))
            {
                if (line.Length > 0 && prefix.Length + line.Length + 1 + word.Length > width)
                {
                    _text.Append(prefix).AppendLine(line.ToString());
                    line.Clear();
                    prefix = rest;
                }

                line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
            }

            _text.Append(prefix).AppendLine(line.ToString());
        }
    }
}
