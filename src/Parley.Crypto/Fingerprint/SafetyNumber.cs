using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Crypto.Fingerprint;

/// <summary>
/// A safety number: 60 decimal digits (shown as 12 groups of 5) that two people compare to verify
/// each other's identity keys, plus a QR payload carrying the same information for scanning.
/// </summary>
/// <remarks>
/// The Parley.Crypto.Fingerprint namespace owns safety numbers only. It knows public identity
/// material (account ids and identity public keys) and nothing about sessions, stores or the UI.
/// The construction follows Signal's numeric fingerprint (docs/PROTOCOL.md section 7): each side's
/// 30 digits come from an iterated SHA-512 over version, identity key material and account id; the
/// two halves are sorted so both sides display the same 60 digits.
/// </remarks>
public sealed class SafetyNumber
{
    /// <summary>Version of the safety-number construction, hashed in and carried in the QR payload.</summary>
    public const ushort Version = 1;

    /// <summary>Number of SHA-512 iterations per side.</summary>
    public const int Iterations = 5200;

    /// <summary>Digits contributed by each side.</summary>
    public const int DigitsPerSide = 30;

    /// <summary>Bytes of each side's hash carried in the QR payload.</summary>
    public const int ScannableFingerprintLength = 32;

    /// <summary>Length of the QR payload: magic (2) || version (2) || local (32) || remote (32).</summary>
    public const int QrPayloadLength = 4 + (2 * ScannableFingerprintLength);

    private const int ChunkBytes = 5;
    private const int ChunkDigits = 5;
    private const int ChunkModulus = 100_000;
    private static readonly byte[] QrMagic = "PS"u8.ToArray();

    private readonly byte[] _localScannable;
    private readonly byte[] _remoteScannable;

    private SafetyNumber(string digits, byte[] localScannable, byte[] remoteScannable)
    {
        Digits = digits;
        _localScannable = localScannable;
        _remoteScannable = remoteScannable;
    }

    /// <summary>The 60 digits without separators; identical on both sides.</summary>
    public string Digits { get; }

    /// <summary>The 12 groups of 5 digits, in display order.</summary>
    public IReadOnlyList<string> Groups =>
        Enumerable.Range(0, Digits.Length / ChunkDigits).Select(i => Digits.Substring(i * ChunkDigits, ChunkDigits)).ToArray();

    /// <summary>Computes the safety number between the local party and a remote party.</summary>
    /// <param name="local">Our own identity.</param>
    /// <param name="remote">The contact's identity.</param>
    /// <returns>The safety number as seen from the local side.</returns>
    public static SafetyNumber Create(FingerprintIdentity local, FingerprintIdentity remote)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        byte[] localHash = IteratedHash(local);
        byte[] remoteHash = IteratedHash(remote);
        string localDigits = DisplayDigits(localHash);
        string remoteDigits = DisplayDigits(remoteHash);
        string digits = string.CompareOrdinal(localDigits, remoteDigits) <= 0
            ? localDigits + remoteDigits
            : remoteDigits + localDigits;
        return new SafetyNumber(digits, localHash[..ScannableFingerprintLength], remoteHash[..ScannableFingerprintLength]);
    }

    /// <summary>The digits as 12 space-separated groups of 5, e.g. for display or reading aloud.</summary>
    public string ToDisplayString() => string.Join(' ', Groups);

    /// <summary>Bytes to encode in a QR code: "PS" || version (u16) || local hash[0..32] || remote hash[0..32].</summary>
    public byte[] ToQrPayload()
    {
        byte[] payload = new byte[QrPayloadLength];
        QrMagic.CopyTo(payload, 0);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), Version);
        _localScannable.CopyTo(payload, 4);
        _remoteScannable.CopyTo(payload, 4 + ScannableFingerprintLength);
        return payload;
    }

    /// <summary>
    /// Compares a QR payload scanned from the contact's screen with this safety number. The contact's
    /// "local" half must equal our remote half and vice versa. Hostile input yields <see cref="ScannedSafetyNumberResult.Malformed"/>.
    /// </summary>
    /// <param name="scanned">The raw bytes decoded from the QR code.</param>
    public ScannedSafetyNumberResult CompareScanned(ReadOnlySpan<byte> scanned)
    {
        if (scanned.Length != QrPayloadLength || !scanned[..2].SequenceEqual(QrMagic))
        {
            return ScannedSafetyNumberResult.Malformed;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(scanned[2..]) != Version)
        {
            return ScannedSafetyNumberResult.VersionMismatch;
        }

        ReadOnlySpan<byte> theirLocal = scanned.Slice(4, ScannableFingerprintLength);
        ReadOnlySpan<byte> theirRemote = scanned.Slice(4 + ScannableFingerprintLength, ScannableFingerprintLength);
        bool localMatches = CryptographicOperations.FixedTimeEquals(theirRemote, _localScannable);
        bool remoteMatches = CryptographicOperations.FixedTimeEquals(theirLocal, _remoteScannable);
        return localMatches & remoteMatches ? ScannedSafetyNumberResult.Match : ScannedSafetyNumberResult.Mismatch;
    }

    /// <inheritdoc/>
    public override string ToString() => ToDisplayString();

    /// <summary>hash_0 = SHA-512(version || keys || id); hash_{i+1} = SHA-512(hash_i || keys).</summary>
    internal static byte[] IteratedHash(FingerprintIdentity identity)
    {
        byte[] keys = identity.KeyMaterial();
        ReadOnlySpan<byte> id = identity.AccountIdUtf8;
        byte[] first = new byte[2 + keys.Length + id.Length];
        BinaryPrimitives.WriteUInt16BigEndian(first, Version);
        keys.CopyTo(first, 2);
        id.CopyTo(first.AsSpan(2 + keys.Length));

        byte[] hash = SHA512.HashData(first);
        Span<byte> buffer = stackalloc byte[SHA512.HashSizeInBytes + 64];
        keys.CopyTo(buffer[SHA512.HashSizeInBytes..]);
        for (int i = 0; i < Iterations; i++)
        {
            hash.CopyTo(buffer);
            SHA512.HashData(buffer, hash);
        }

        return hash;
    }

    /// <summary>Six chunks of 5 bytes, each read as a big-endian integer mod 100000, as 5 digits.</summary>
    internal static string DisplayDigits(ReadOnlySpan<byte> hash)
    {
        var builder = new StringBuilder(DigitsPerSide);
        for (int offset = 0; offset < DigitsPerSide; offset += ChunkBytes)
        {
            ulong value = 0;
            for (int i = 0; i < ChunkBytes; i++)
            {
                value = (value << 8) | hash[offset + i];
            }

            builder.Append((value % ChunkModulus).ToString("D5", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
