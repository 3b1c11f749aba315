using System.Globalization;

namespace Parley.Server.Files;

/// <summary>
/// Constants and strict header parsing for the tus 1.0 core protocol with the creation and
/// termination extensions (https://tus.io/protocols/resumable-upload). Header values are hostile
/// input: only plain decimal digits are accepted for lengths and offsets.
/// </summary>
public static class TusProtocol
{
    /// <summary>The only protocol version spoken.</summary>
    public const string Version = "1.0.0";

    /// <summary>Extensions supported (advertised by OPTIONS).</summary>
    public const string Extensions = "creation,termination";

    /// <summary>Content type every PATCH body must carry.</summary>
    public const string PatchContentType = "application/offset+octet-stream";

    /// <summary>Header carrying the protocol version on every request and response.</summary>
    public const string ResumableHeader = "Tus-Resumable";

    /// <summary>Header listing supported versions (OPTIONS, 412).</summary>
    public const string VersionHeader = "Tus-Version";

    /// <summary>Header listing supported extensions.</summary>
    public const string ExtensionHeader = "Tus-Extension";

    /// <summary>Header advertising the largest upload.</summary>
    public const string MaxSizeHeader = "Tus-Max-Size";

    /// <summary>Declared total length (creation).</summary>
    public const string LengthHeader = "Upload-Length";

    /// <summary>Received offset (HEAD, PATCH).</summary>
    public const string OffsetHeader = "Upload-Offset";

    /// <summary>When an unfinished upload expires (RFC 9110 date).</summary>
    public const string ExpiresHeader = "Upload-Expires";

    /// <summary>Deferred length (refused: lengths must be declared up front for quota).</summary>
    public const string DeferLengthHeader = "Upload-Defer-Length";

    /// <summary>Metadata (refused: the server must not learn names or types).</summary>
    public const string MetadataHeader = "Upload-Metadata";

    /// <summary>Longest accepted decimal length or offset: 19 digits fit in a long.</summary>
    public const int MaxDigits = 18;

    /// <summary>
    /// Parses a non-negative decimal header value: 1 to <see cref="MaxDigits"/> ASCII digits, nothing
    /// else (no sign, spaces, exponent or second value).
    /// </summary>
    public static bool TryParseNonNegative(string? value, out long result)
    {
        result = 0;
        if (string.IsNullOrEmpty(value) || value.Length > MaxDigits)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    /// <summary>Formats a length or offset for a header.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
