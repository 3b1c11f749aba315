namespace Parley.Cli.Input;

/// <summary>
/// Refuses weak passwords at registration using zxcvbn's estimate (score below
/// <see cref="MinimumScore"/>) and explains why in one sentence without echoing any part of it.
/// </summary>
internal static class PasswordPolicy
{
    /// <summary>The lowest zxcvbn score accepted (0–4; 3 = "safely unguessable").</summary>
    public const int MinimumScore = 3;

    /// <summary>The longest password accepted, so the estimator's work stays bounded.</summary>
    public const int MaxLength = 1024;

    /// <summary>Checks a candidate password; returns null when acceptable, else the reason.</summary>
    /// <param name="password">The candidate.</param>
    /// <param name="userName">The user name, which must not make the password guessable.</param>
    /// <returns>Null, or a sentence saying why it is refused.</returns>
    public static string? Check(string password, string userName)
    {
        if (password.Length == 0)
        {
            return "The password is empty.";
        }

        if (password.Length > MaxLength)
        {
            return $"The password is longer than {MaxLength} characters.";
        }

        var result = Zxcvbn.Zxcvbn.MatchPassword(password, [userName, "parley"]);
        if (result.Score >= MinimumScore)
        {
            return null;
        }

        var weakness = DescribeWeakness(result.MatchSequence);
        return $"The password is too weak (strength {result.Score} of 4, guessed in {result.CrackTimeDisplay}){weakness}; use a longer, less predictable one, such as several unrelated words.";
    }

    private static string DescribeWeakness(IEnumerable<Zxcvbn.Match> matches)
    {
        var patterns = matches.Select(m => m.Pattern).ToHashSet(StringComparer.Ordinal);
        if (patterns.Contains("dictionary"))
        {
            return ": it is built from common words, names or your user name";
        }

        if (patterns.Contains("spatial"))
        {
            return ": it follows a keyboard pattern";
        }

        if (patterns.Contains("repeat") || patterns.Contains("sequence"))
        {
            return ": it repeats characters or follows a sequence";
        }

        if (patterns.Contains("date") || patterns.Contains("year"))
        {
            return ": it contains a date or a year";
        }

        return ": it is too short";
    }
}
