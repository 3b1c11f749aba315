using Spectre.Console;

namespace Parley.Cli.Input;

/// <summary>Reads passwords from standard input (<c>--password-stdin</c>) or from a no-echo prompt.</summary>
internal static class PasswordReader
{
    /// <summary>How many times a terminal user may type a new password that the policy refuses, or a wrong one.</summary>
    public const int MaxTries = 3;

    /// <summary>Reads an existing password.</summary>
    /// <param name="fromStdin">Whether <c>--password-stdin</c> was given.</param>
    /// <param name="prompt">The prompt on a terminal.</param>
    /// <returns>The password.</returns>
    public static string Read(bool fromStdin, string prompt = "Password:")
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

        return AnsiConsole.Prompt(new TextPrompt<string>(prompt).Secret(null));
    }

    /// <summary>
    /// Reads a new password: the strength verdict comes right after it is typed (a terminal user gets
    /// <see cref="MaxTries"/> tries), then, on a terminal, it is asked again to catch typos.
    /// </summary>
    /// <param name="fromStdin">Whether <c>--password-stdin</c> was given.</param>
    /// <param name="userName">The user name, which must not make the password guessable.</param>
    /// <param name="prompt">The prompt on a terminal.</param>
    /// <returns>The accepted password.</returns>
    public static string ReadNew(bool fromStdin, string userName, string prompt = "Password:")
    {
        for (var attempt = 1; ; attempt++)
        {
            var password = Read(fromStdin, prompt);
            if (PasswordPolicy.Check(password, userName) is { } reason)
            {
                if (fromStdin || attempt >= MaxTries)
                {
                    throw new CliException(reason);
                }

                AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(reason) + "[/]");
                continue;
            }

            if (!fromStdin)
            {
                var again = AnsiConsole.Prompt(new TextPrompt<string>("Repeat the password:").Secret(null));
                if (!string.Equals(password, again, StringComparison.Ordinal))
                {
                    throw new CliException("The two passwords differ; nothing was changed.");
                }
            }

            return password;
        }
    }
}
