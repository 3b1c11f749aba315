using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Client.Transport;

/// <summary>
/// A server certificate's fingerprint, <c>SHA256:</c> followed by the lowercase hex of the
/// SHA-256 of the certificate's DER encoding — the form the server prints at start-up.
/// </summary>
public readonly record struct ServerFingerprint
{
    private const string Prefix = "SHA256:";
    private const int HashSize = 32;

    private ServerFingerprint(string hex) => Hex = hex;

    /// <summary>The 64 lowercase hex digits.</summary>
    public string Hex { get; }

    /// <summary>Computes the fingerprint of a certificate.</summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <returns>The fingerprint.</returns>
    public static ServerFingerprint Of(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new ServerFingerprint(Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData())));
    }

    /// <summary>Parses <c>SHA256:HEX</c> (the prefix is case-insensitive, colons between hex pairs are allowed).</summary>
    /// <param name="text">The text.</param>
    /// <param name="fingerprint">The fingerprint when the result is true.</param>
    /// <returns>Whether the text was a valid fingerprint.</returns>
    public static bool TryParse(string? text, out ServerFingerprint fingerprint)
    {
        fingerprint = default;
        if (text is null || text.Length > 256 || !text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = text[Prefix.Length..].Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (hex.Length != HashSize * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        fingerprint = new ServerFingerprint(hex);
        return true;
    }

    /// <summary>The fingerprint grouped in pairs for reading aloud (<c>ab:cd:…</c>).</summary>
    /// <returns>The grouped form.</returns>
    public string ToGroupedString()
    {
        var hex = Hex ?? string.Empty;
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Hex}");
}
