using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Parley.Client.Transfers;

/// <summary>
/// How a <see cref="FilePointer"/> rides in an ordinary end-to-end encrypted text message: the text is
/// <see cref="Prefix"/> followed by the pointer's JSON. Clients that know the prefix show a file line
/// instead (never the key); the message is stored in the encrypted local store like any other, which
/// is where <c>parley file get</c> finds the pointer again.
/// </summary>
public static class FileMessageText
{
    /// <summary>Marks a text message that carries a file pointer.</summary>
    public const string Prefix = "parley-file/1 ";

    /// <summary>The message text carrying <paramref name="file"/>.</summary>
    public static string Format(FilePointer file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Prefix + file.ToJson();
    }

    /// <summary>True when <paramref name="text"/> carries a well-formed pointer; the caller disposes it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FilePointer? file)
    {
        file = null;
        return text is not null && text.StartsWith(Prefix, StringComparison.Ordinal)
            && FilePointer.TryParse(text[Prefix.Length..], out file);
    }

    /// <summary>
    /// What to show for a message text: a file line (sanitized name, size, how to fetch it) for a
    /// file message, a warning for a malformed one, and the text itself otherwise.
    /// </summary>
    /// <param name="text">The message text.</param>
    /// <param name="messageId">The message id, used in the fetch hint.</param>
    public static string ForDisplay(string text, string messageId)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return text;
        }

        if (!TryParse(text, out FilePointer? file))
        {
            return "[file] (unreadable file message)";
        }

        using (file)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"[file] {FileNameSanitizer.Sanitize(file.Name)} ({FormatSize(file.Size)}) — fetch with: parley file get {messageId}");
        }
    }

    /// <summary>A size for people: bytes, KiB, MiB or GiB with one decimal.</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB"),
    };
}
