using System.Globalization;
using System.Text;

namespace Parley.Client.Transfers;

/// <summary>
/// Turns the sender's file name — attacker-controlled display text — into one safe path component.
/// Only the last component survives (so <c>../../x</c>, <c>/etc/passwd</c> and <c>C:\x</c> lose their
/// directories); control, format and bidirectional characters (U+202E and friends) are removed;
/// characters Windows forbids (and <c>:</c>, which names NTFS alternate streams) become <c>_</c>;
/// leading dots and trailing dots or spaces go; Windows device names such as <c>CON</c> are prefixed;
/// the result is capped in UTF-8 bytes keeping a short extension. Never returns an empty name.
/// </summary>
public static class FileNameSanitizer
{
    /// <summary>Largest sanitized name in UTF-8 bytes (below NAME_MAX 255, leaving room for a suffix).</summary>
    public const int MaxNameBytes = 200;

    /// <summary>Longest extension kept when a name is shortened.</summary>
    public const int MaxExtensionChars = 16;

    /// <summary>Name used when nothing usable remains.</summary>
    public const string FallbackName = "file";

    private static readonly string[] ReservedDeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    ];

    /// <summary>Returns a safe single path component for <paramref name="untrusted"/>.</summary>
    public static string Sanitize(string? untrusted)
    {
        if (string.IsNullOrEmpty(untrusted))
        {
            return FallbackName;
        }

        string last = LastComponent(untrusted);
        string cleaned = CleanCharacters(last).Trim(' ').TrimStart('.').TrimEnd('.', ' ');
        if (cleaned.Length == 0)
        {
            return FallbackName;
        }

        cleaned = Truncate(cleaned);
        return IsReservedDeviceName(cleaned) ? "_" + cleaned : cleaned;
    }

    /// <summary>
    /// The <paramref name="attempt"/>-th alternative of a sanitized name, used instead of overwriting:
    /// <c>report (1).pdf</c>, <c>report (2).pdf</c>, …
    /// </summary>
    public static string WithSuffix(string sanitized, int attempt)
    {
        ArgumentException.ThrowIfNullOrEmpty(sanitized);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        string extension = ExtensionOf(sanitized);
        string stem = sanitized[..^extension.Length];
        return string.Create(CultureInfo.InvariantCulture, $"{stem} ({attempt}){extension}");
    }

    private static string LastComponent(string name)
    {
        int cut = name.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? name : name[(cut + 1)..];
    }

    private static string CleanCharacters(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                if (!IsDropped(CharUnicodeInfo.GetUnicodeCategory(name, i)))
                {
                    builder.Append(c).Append(name[i + 1]);
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(c) || IsDropped(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                continue;
            }

            builder.Append(c is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? '_' : c);
        }

        return builder.ToString();
    }

    private static bool IsDropped(UnicodeCategory category) => category is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    private static string Truncate(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxNameBytes)
        {
            return name;
        }

        string extension = ExtensionOf(name);
        int budget = MaxNameBytes - Encoding.UTF8.GetByteCount(extension);
        var stem = new StringBuilder();
        int used = 0;
        foreach (Rune rune in name[..^extension.Length].EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            stem.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }

        string result = stem.ToString().TrimEnd('.', ' ') + extension;
        return result.Length == extension.Length ? FallbackName + extension : result;
    }

    private static string ExtensionOf(string name)
    {
        int dot = name.LastIndexOf('.');
        return dot > 0 && name.Length - dot <= MaxExtensionChars + 1 ? name[dot..] : "";
    }

    private static bool IsReservedDeviceName(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        string stem = (dot < 0 ? name : name[..dot]).TrimEnd(' ');
        return ReservedDeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase);
    }
}
