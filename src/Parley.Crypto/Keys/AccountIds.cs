using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Parley.Crypto.Keys;

/// <summary>
/// How account ids enter signed and hashed data: the server's normalized username, strict UTF-8,
/// preceded by its length as 2 bytes big-endian. Normalization itself is the server's job; this
/// layer encodes exactly the string it is given, so both parties must use the canonical form.
/// </summary>
public static class AccountIds
{
    /// <summary>Longest account id accepted, in UTF-8 bytes.</summary>
    public const int MaxUtf8Bytes = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when <paramref name="accountId"/> is non-empty, valid Unicode and at most 256 UTF-8 bytes.</summary>
    /// <param name="accountId">The candidate id.</param>
    public static bool IsValid([NotNullWhen(true)] string? accountId) => TryEncode(accountId, out _);

    /// <summary>Encodes an account id as strict UTF-8; false if it is empty, too long or not valid Unicode.</summary>
    /// <param name="accountId">The id.</param>
    /// <param name="utf8">The encoded bytes (without length prefix).</param>
    public static bool TryEncode([NotNullWhen(true)] string? accountId, out byte[] utf8)
    {
        utf8 = [];
        if (string.IsNullOrEmpty(accountId) || accountId.Length > MaxUtf8Bytes)
        {
            return false;
        }

        try
        {
            var bytes = StrictUtf8.GetBytes(accountId);
            if (bytes.Length > MaxUtf8Bytes)
            {
                return false;
            }

            utf8 = bytes;
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Encodes or throws <see cref="ArgumentException"/> (for the caller's own, trusted id).</summary>
    internal static byte[] EncodeOrThrow(string accountId, string parameterName) =>
        TryEncode(accountId, out var utf8)
            ? utf8
            : throw new ArgumentException("The account id must be 1 to 256 bytes of valid UTF-8.", parameterName);

    /// <summary>Decodes strict UTF-8 read from untrusted input; false if invalid or empty.</summary>
    internal static bool TryDecode(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out string? accountId)
    {
        accountId = null;
        if (utf8.IsEmpty || utf8.Length > MaxUtf8Bytes)
        {
            return false;
        }

        try
        {
            accountId = StrictUtf8.GetString(utf8);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
