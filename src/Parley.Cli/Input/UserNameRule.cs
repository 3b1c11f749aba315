using Parley.Client.Profiles;

namespace Parley.Cli.Input;

/// <summary>Says which part of the user-name rule a name breaks, so the error names it.</summary>
internal static class UserNameRule
{
    /// <summary>Null when <paramref name="name"/> is a valid user name, else the sentence naming the broken rule.</summary>
    public static string? Broken(string name)
    {
        if (UserName.TryParse(name, out _))
        {
            return null;
        }

        var rule = $"A user name is {UserName.MinLength} to {UserName.MaxLength} characters of a-z, 0-9, '_', '.' and '-', not starting with '.'";
        if (name.Length < UserName.MinLength)
        {
            return $"The user name '{name}' is too short: {rule}.";
        }

        if (name.Length > UserName.MaxLength)
        {
            return $"The user name '{name[..UserName.MaxLength]}…' is too long ({name.Length} characters): {rule}.";
        }

        if (name[0] == '.')
        {
            return $"The user name '{name}' starts with '.': {rule}.";
        }

        var bad = name.ToLowerInvariant().First(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-'));
        return $"The user name '{name}' contains '{bad}': {rule}.";
    }
}
