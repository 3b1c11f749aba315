namespace Parley.Server.Hosting;

/// <summary>
/// Error messages of the options' data-annotation attributes, written to follow the key name
/// (<see cref="SectionValidation"/> prefixes <c>Section:Member</c>): <c>{1}</c> and <c>{2}</c> are the
/// attribute's bounds.
/// </summary>
public static class OptionRules
{
    /// <summary>For <c>[Range]</c>.</summary>
    public const string Between = "must be between {1} and {2}.";

    /// <summary>For <c>[Required]</c>.</summary>
    public const string Required = "must be set.";

    /// <summary>For <c>[MinLength]</c> on strings.</summary>
    public const string MinLength = "must be at least {1} characters long.";
}
