using Parley.Client.Errors;
using Spectre.Console;

namespace Parley.Cli.Input;

/// <summary>Reads a password from standard input (<c>--password-stdin</c>) or from a no-echo prompt.</summary>
internal static class PasswordReader
{
    /// <summary>Reads the password.</summary>
    /// <param name="fromStdin">Whether <c>--password-stdin</c> was given.</param>
    /// <param name="confirm">Whether to ask twice (registration).</param>
    /// <returns>The password.</returns>
    public static string Read(bool fromStdin, bool confirm)
    {
        if (fromStdin)
        {
            var line = Console.In.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                throw new CliException("No password was given on standard input.");
            }

            return line;
        }

        if (Console.IsInputRedirected)
        {
            throw new CliException("There is no terminal to ask for the password; pass it with --password-stdin.");
        }

        var password = AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret(null));
        if (confirm)
        {
            var again = AnsiConsole.Prompt(new TextPrompt<string>("Repeat the password:").Secret(null));
            if (!string.Equals(password, again, StringComparison.Ordinal))
            {
                throw new CliException("The two passwords differ.");
            }
        }

        return password;
    }
}

/// <summary>A failure the command line phrases itself (one sentence), as opposed to a typed client error.</summary>
internal sealed class CliException : Exception
{
    public CliException(string sentence)
        : base(sentence)
    {
    }

    public CliException()
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static CliException From(ClientErrorKind kind) => new(Output.ErrorSentences.For(kind));
}
