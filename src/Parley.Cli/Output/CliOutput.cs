using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>
/// Everything a command prints goes through here: data as one JSON object per line with
/// <c>--json</c>, otherwise readable text and tables; notices and warnings go to stderr so that
/// stdout stays data. Output that is not a terminal is never wrapped.
/// </summary>
internal sealed class CliOutput
{
    /// <summary>The width given to a redirected output: wide enough that no line is ever wrapped.</summary>
    public const int UnwrappedWidth = 1 << 20;

    public CliOutput(bool json)
    {
        IsJson = json;
        Console = Create(System.Console.Out, System.Console.IsOutputRedirected);
        Errors = Create(System.Console.Error, System.Console.IsErrorRedirected);
    }

    /// <summary>Output into <paramref name="writer"/> (the chat screen), <paramref name="width"/> cells wide.</summary>
    public CliOutput(bool json, TextWriter writer, int width)
    {
        IsJson = json;
        Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        Console.Profile.Width = width;
        Errors = Console;
    }

    public bool IsJson { get; }

    /// <summary>The console for human output (stdout).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The console for warnings and prompts (stderr).</summary>
    public IAnsiConsole Errors { get; }

    /// <summary>Prints one JSON object on its own line of stdout.</summary>
    public static void JsonLine(JsonObject value)
    {
        System.Console.Out.WriteLine(JsonText.Serialize(value));
        System.Console.Out.Flush();
    }

    /// <summary>
    /// Reports a failure on stderr: <c>parley: sentence</c>, or with <c>--json</c> one JSON object
    /// <c>{"error": kind, "message": sentence, "exitCode": code}</c>.
    /// </summary>
    public static void Failure(bool json, string kind, string sentence, int exitCode)
    {
        if (json)
        {
            System.Console.Error.WriteLine(JsonText.Serialize(new JsonObject { ["error"] = kind, ["message"] = sentence, ["exitCode"] = exitCode }));
        }
        else
        {
            System.Console.Error.WriteLine("parley: " + sentence);
        }
    }

    /// <summary>Prints an API result or event on its own line, in the API's own JSON shape.</summary>
    public static void JsonLine<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        // Through a node so that JsonText's encoder applies: characters print as themselves, as in every other JSON line.
        System.Console.Out.WriteLine(JsonSerializer.SerializeToNode(value, info) is { } node ? JsonText.Serialize(node) : "null");
        System.Console.Out.Flush();
    }

    /// <summary>Prints a line of text to stdout (markup is escaped).</summary>
    public void Line(string text) => Console.WriteLine(text);

    /// <summary>Prints a warning to stderr, in bold yellow when the terminal allows.</summary>
    public void Warn(string sentence) => Errors.MarkupLine("[bold yellow]Warning:[/] " + Markup.Escape(sentence));

    /// <summary>Prints a notice to stderr.</summary>
    public void Notice(string sentence) => Errors.MarkupLine(Markup.Escape(sentence));

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = UnwrappedWidth;
        }

        return console;
    }
}
