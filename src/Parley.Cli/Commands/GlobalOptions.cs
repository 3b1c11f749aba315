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
}
