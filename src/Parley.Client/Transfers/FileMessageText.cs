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

    /// <summary>
    /// The displayable fields of a file message (never its key or digest), or null for a text
    /// message or a malformed pointer: what scripts get as structured fields under <c>--json</c>.
    /// </summary>
    /// <param name="text">The message text.</param>
    public static FileSummary? Describe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out FilePointer? file))
        {
            return null;
        }

        using (file)
        {
            return new FileSummary(file.BlobId, FileNameSanitizer.Sanitize(file.Name), file.Size, file.ContentType);
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

/// <summary>What a file message tells a reader about its file (nothing that decrypts it).</summary>
/// <param name="BlobId">The server's id of the encrypted blob.</param>
/// <param name="Name">The sender's file name, sanitized (safe to show and to use as a file name).</param>
/// <param name="Size">Plaintext size in bytes.</param>
/// <param name="ContentType">The sender's media type (untrusted display text).</param>
public sealed record FileSummary(string BlobId, string Name, long Size, string ContentType);
