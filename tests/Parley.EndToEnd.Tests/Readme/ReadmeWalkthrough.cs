using System.Text.RegularExpressions;

namespace Parley.EndToEnd.Tests.Readme;

/// <summary>
/// The "Try it" section of README.md, read as a newcomer reads it: an indented block of shell lines,
/// each command followed by <c># …</c> comment lines showing what it prints (a copied block still
/// pastes into a shell, which ignores the comments). <c>…</c> in a shown line stands for text that
/// differs from run to run (a fingerprint, a time, a path).
/// </summary>
internal sealed partial class ReadmeWalkthrough
{
    private ReadmeWalkthrough(IReadOnlyList<ReadmeStep> steps) => Steps = steps;

    /// <summary>The steps in README order.</summary>
    public IReadOnlyList<ReadmeStep> Steps { get; }

    /// <summary>Reads the indented block under <paramref name="heading"/> (e.g. <c>## Try it</c>) of <paramref name="readme"/>.</summary>
    public static ReadmeWalkthrough Parse(string readme, string heading)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, heading);
        if (start < 0)
        {
            throw new InvalidOperationException("README.md has no '" + heading + "' section.");
        }

        var steps = new List<ReadmeStep>();
        var inBlock = false;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (!lines[i].StartsWith("    ", StringComparison.Ordinal))
            {
                if (inBlock && lines[i].Length > 0)
                {
                    break; // the first block of the section is the walkthrough
                }
                continue;
            }

            inBlock = true;
            var line = lines[i][4..];
            if (line.StartsWith('#'))
            {
                if (steps.Count == 0)
                {
                    throw new InvalidOperationException("README.md's walkthrough shows output before any command: " + line);
                }
                steps[^1].Shown.Add(line.Length > 1 ? line[2..] : string.Empty);
            }
            else
            {
                steps.Add(new ReadmeStep(line));
            }
        }

        return steps.Count == 0 ? throw new InvalidOperationException("README.md's '" + heading + "' has no commands.") : new ReadmeWalkthrough(steps);
    }

    /// <summary>
    /// True when <paramref name="output"/>'s non-blank lines contain the shown lines in order, each
    /// matched whole (trailing spaces ignored), <c>…</c> matching any text.
    /// </summary>
    public static bool Shows(IReadOnlyList<string> shown, string output)
    {
        var actual = output.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        var next = 0;
        foreach (var expected in shown.Where(s => s.Trim().Length > 0))
        {
            var pattern = new Regex("^" + string.Join(".*", expected.TrimEnd().Split('…').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);
            while (next < actual.Count && !pattern.IsMatch(actual[next]))
            {
                next++;
            }

            if (next == actual.Count)
            {
                return false;
            }
            next++;
        }

        return true;
    }

    /// <summary>A shell variable assignment line (<c>FP=$(…)</c>): its name, or null.</summary>
    public static string? AssignedVariable(string command) => Assignment().Match(command) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex Assignment();
}

/// <summary>One command line of the walkthrough and the lines the README shows it printing.</summary>
internal sealed record ReadmeStep(string Command)
{
    public List<string> Shown { get; } = [];
}
