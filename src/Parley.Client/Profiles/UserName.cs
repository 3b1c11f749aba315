using Parley.Client.Errors;

namespace Parley.Client.Profiles;

/// <summary>
/// A user name as the client accepts it, normalized like the server does (lowercase; 3–32 of
/// a–z, 0–9, '_', '.', '-'). It also names a profile directory, so it is checked before it touches
/// the file system (no leading dot, no separators).
/// </summary>
public readonly record struct UserName
{
    /// <summary>The longest user name the client accepts.</summary>
    public const int MaxLength = 32;

    /// <summary>The shortest user name the client accepts.</summary>
    public const int MinLength = 3;

    private UserName(string value) => Value = value;

    /// <summary>The validated name.</summary>
    public string Value { get; }

    /// <summary>Validates <paramref name="text"/> and returns it as a user name.</summary>
    /// <param name="text">The raw name from the user or the server.</param>
    /// <exception cref="ParleyClientException">With <see cref="ClientErrorKind.InvalidInput"/> if the name is not acceptable.</exception>
    public static UserName Parse(string? text)
    {
        if (!TryParse(text, out var name))
        {
            throw new ParleyClientException(ClientErrorKind.InvalidInput);
        }

        return name;
    }

    /// <summary>Validates <paramref name="text"/> without throwing.</summary>
    /// <param name="text">The raw name.</param>
    /// <param name="name">The validated name when the result is true.</param>
    /// <returns>Whether the name is acceptable.</returns>
    public static bool TryParse(string? text, out UserName name)
    {
        name = default;
        if (text is null || text.Length < MinLength || text.Length > MaxLength || text[0] == '.')
        {
            return false;
        }

        text = text.ToLowerInvariant();
        foreach (var c in text)
        {
            var ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-';
            if (!ok)
            {
                return false;
            }
        }

        name = new UserName(text);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
