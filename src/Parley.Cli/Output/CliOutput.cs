using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>
/// Everything a command prints goes through here: data as one JSON object per line with
/// <c>--json</c>, otherwise readable text and tables; notices and warnings go to stderr so that
/// stdout stays data.
/// </summary>
internal sealed class CliOutput
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public CliOutput(bool json)
    {
        IsJson = json;
        Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        Errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
    }

    public bool IsJson { get; }

    /// <summary>The console for human output (stdout).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The console for warnings and prompts (stderr).</summary>
    public IAnsiConsole Errors { get; }

    /// <summary>Prints one JSON object on its own line.</summary>
    public static void JsonLine(JsonObject value)
    {
        System.Console.Out.WriteLine(value.ToJsonString(Compact));
        System.Console.Out.Flush();
    }

    /// <summary>Prints an API result or event on its own line, in the API's own JSON shape.</summary>
    public static void JsonLine<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        System.Console.Out.WriteLine(JsonSerializer.Serialize(value, info));
        System.Console.Out.Flush();
    }

    /// <summary>Prints a line of text to stdout (markup is escaped).</summary>
    public void Line(string text) => Console.WriteLine(text);

    /// <summary>Prints a warning to stderr, in bold yellow when the terminal allows.</summary>
    public void Warn(string sentence) => Errors.MarkupLine("[bold yellow]Warning:[/] " + Markup.Escape(sentence));

    /// <summary>Prints a notice to stderr.</summary>
    public void Notice(string sentence) => Errors.MarkupLine(Markup.Escape(sentence));
}
