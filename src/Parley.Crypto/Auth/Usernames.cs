namespace Parley.Crypto.Auth;

/// <summary>
/// Username rules shared by client and server: 3–32 characters of <c>[a-z0-9_.-]</c> after
/// lower-casing. The normalized form is the SRP identity and the unique key on the server.
/// </summary>
public static class Usernames
{
    /// <summary>Shortest username.</summary>
    public const int MinLength = 3;

    /// <summary>Longest username.</summary>
    public const int MaxLength = 32;

    /// <summary>Lower-cases (ASCII only) and checks the rules; false when the name is not acceptable.</summary>
    public static bool TryNormalize(string? username, out string normalized)
    {
        normalized = "";
        if (username is null || username.Length is < MinLength or > MaxLength)
        {
            return false;
        }
        Span<char> buffer = stackalloc char[username.Length];
        for (var i = 0; i < username.Length; i++)
        {
            var c = username[i];
            if (c is >= 'A' and <= 'Z')
            {
                c = (char)(c + ('a' - 'A'));
            }
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or '-'))
            {
                return false;
            }
            buffer[i] = c;
        }
        normalized = new string(buffer);
        return true;
    }
}
