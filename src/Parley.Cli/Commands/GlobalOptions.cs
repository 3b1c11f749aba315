using System.CommandLine;

namespace Parley.Cli.Commands;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Home = new("--home")
    {
        Description = "The directory holding your profiles (default: $PARLEY_HOME, else $XDG_DATA_HOME/parley or ~/.local/share/parley).",
        Recursive = true,
        HelpName = "DIR",
    };

    public static readonly Option<string?> Profile = new("--as")
    {
        Description = "Act as this logged-in profile instead of the current one (several users can share one home).",
        Recursive = true,
        HelpName = "USER",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print data as JSON, one object per line.",
        Recursive = true,
    };

    /// <summary>The spelling that also prints decrypted contents; <see cref="Program"/> maps it to <see cref="DebugPlaintext"/>.</summary>
    public const string DebugPlaintextSpelling = "--debug=plaintext";

    public static readonly Option<bool> Debug = new("--debug")
    {
        Description = "Print every protocol frame and request, decoded, as JSON lines on stderr; ciphertext, notes, keys and tokens redacted. --debug=plaintext also prints the decrypted content of each message.",
        Recursive = true,
    };

    /// <summary>What <c>--debug=plaintext</c> becomes before parsing (an option argument would swallow the next word).</summary>
    public static readonly Option<bool> DebugPlaintext = new("--debug-plaintext")
    {
        Recursive = true,
        Hidden = true,
    };

    /// <summary>
    /// Maps <c>--debug=plaintext</c> (before any <c>--</c>) to its hidden option; any other
    /// <c>--debug=VALUE</c> is a usage error (the parser would otherwise split it and take VALUE as an argument).
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="error">The usage error, if any.</param>
    /// <returns>The arguments to parse.</returns>
    public static string[] Normalize(string[] args, out string? error)
    {
        error = null;
        var mapped = (string[])args.Clone();
        for (int i = 0; i < mapped.Length && mapped[i] != "--"; i++)
        {
            if (mapped[i] == DebugPlaintextSpelling)
            {
                mapped[i] = DebugPlaintext.Name;
            }
            else if (mapped[i].StartsWith(Debug.Name + "=", StringComparison.Ordinal) || mapped[i].StartsWith(Debug.Name + ":", StringComparison.Ordinal))
            {
                error = "--debug takes no value, or exactly '--debug=plaintext'.";
            }
        }

        return mapped;
    }
}
