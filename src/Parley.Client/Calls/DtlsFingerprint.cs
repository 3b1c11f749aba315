using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Client.Calls;

/// <summary>
/// The SHA-256 fingerprint of a DTLS certificate as SDP carries it (RFC 8122
/// <c>a=fingerprint:sha-256 AB:CD:…</c>): the value the browser reads back from the connected
/// transport (getStats <c>remoteCertificateId</c> → <c>fingerprint</c>) is compared with the one received
/// through the end-to-end encrypted signalling, in constant time.
/// </summary>
public sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    /// <summary>The only hash function accepted (what browsers use).</summary>
    public const string Algorithm = "sha-256";

    /// <summary>Bytes in a SHA-256 fingerprint.</summary>
    public const int ByteLength = 32;

    /// <summary>Characters of the text form: algorithm, space, 32 colon-separated hex pairs.</summary>
    public const int TextLength = 7 + 1 + ByteLength * 3 - 1;

    private readonly byte[] bytes;

    /// <summary>Creates a fingerprint from its 32 bytes (copied).</summary>
    public DtlsFingerprint(ReadOnlySpan<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(digest.Length, ByteLength, nameof(digest));
        bytes = digest.ToArray();
    }

    /// <summary>The digest.</summary>
    public ReadOnlySpan<byte> Bytes => bytes;

    /// <summary>Parses <c>sha-256 AB:CD:…</c> (algorithm case-insensitive, hex either case); anything else is false.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (text is not { Length: TextLength } || !text.StartsWith(Algorithm + " ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var digest = new byte[ByteLength];
        for (var i = 0; i < ByteLength; i++)
        {
            var at = Algorithm.Length + 1 + i * 3;
            if ((i > 0 && text[at - 1] != ':')
                || !byte.TryParse(text.AsSpan(at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out digest[i])
                || !Uri.IsHexDigit(text[at]) || !Uri.IsHexDigit(text[at + 1]))
            {
                return false;
            }
        }
        fingerprint = new DtlsFingerprint(digest);
        return true;
    }

    /// <summary>
    /// The fingerprint a session description carries: its <c>a=fingerprint</c> lines, which must all
    /// be the same SHA-256 fingerprint (and the SDP well-formed as <see cref="CallSignalCodec"/> requires).
    /// </summary>
    public static bool TryFromSdp([NotNullWhen(true)] string? sdp, [NotNullWhen(true)] out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (sdp is null || !CallSignalReader.IsSdp(sdp))
        {
            return false;
        }
        const string Attribute = "a=fingerprint:";
        var line = sdp.Split("\r\n").FirstOrDefault(l => l.StartsWith(Attribute, StringComparison.Ordinal));
        if (line is null || !TryParse(line[Attribute.Length..], out var first) || !CallSignalReader.SdpCarries(sdp, first))
        {
            return false;
        }
        fingerprint = first;
        return true;
    }

    /// <summary>Constant-time comparison of the digests.</summary>
    public bool Equals(DtlsFingerprint? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(bytes, other.bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(bytes, 0);

    /// <summary>The SDP form, <c>sha-256 AB:CD:…</c> with uppercase hex.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(TextLength).Append(Algorithm).Append(' ');
        for (var i = 0; i < ByteLength; i++)
        {
            text.Append(i == 0 ? "" : ":").Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
