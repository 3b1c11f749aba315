using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Keys;

namespace Parley.Crypto.Bundles;

/// <summary>
/// The cipher suites a device supports, signed by its identity key. Unknown suite ids are kept (a
/// newer device may list suites this one lacks) but never chosen.
/// Encoding: version || tag 0x0A || count (1) || suite ids (count) || signature (64).
/// </summary>
public sealed class SignedSuiteList
{
    /// <summary>Most suites a list may carry.</summary>
    public const int MaxSuites = 16;

    /// <summary>Largest encoding: version, tag, count, 16 suite ids, signature.</summary>
    public const int MaxSerializedSize = KeyFormat.HeaderSize + 1 + MaxSuites + SignatureSize;

    private const int SignatureSize = 64;
    private readonly byte[] _suites;
    private readonly byte[] _signature;

    private SignedSuiteList(byte[] suites, byte[] signature)
    {
        _suites = suites;
        _signature = signature;
        Suites = suites.Select(s => (CipherSuite)s).ToArray();
    }

    /// <summary>The listed suites in the signer's order.</summary>
    public IReadOnlyList<CipherSuite> Suites { get; }

    /// <summary>Length of the serialized form.</summary>
    public int SerializedSize => KeyFormat.HeaderSize + 1 + _suites.Length + SignatureSize;

    /// <summary>Signs a list of suites.</summary>
    /// <param name="identity">The device's identity.</param>
    /// <param name="suites">1 to 16 distinct, non-zero suite ids.</param>
    /// <exception cref="ArgumentException">The list is empty, too long, or has duplicates or zeros.</exception>
    public static SignedSuiteList Create(IdentityKeyPair identity, IReadOnlyList<CipherSuite> suites)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(suites);
        var bytes = suites.Select(s => (byte)s).ToArray();
        if (!IsWellFormed(bytes))
        {
            throw new ArgumentException("A suite list holds 1 to 16 distinct, non-zero suites.", nameof(suites));
        }

        return new SignedSuiteList(bytes, identity.Sign(SignatureInput(bytes)));
    }

    /// <summary>Parses a serialized list (signature not yet checked). Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="list">The list, or null.</param>
    public static bool TryParse(ReadOnlySpan<byte> input, [NotNullWhen(true)] out SignedSuiteList? list)
    {
        list = null;
        var reader = new ByteReader(input);
        if (input.Length > MaxSerializedSize ||
            !reader.TryReadHeader(KeyTypeTag.SuiteList) || !reader.TryReadByte(out var count) ||
            !reader.TryReadBytes(count, out var suites) || !reader.TryReadBytes(SignatureSize, out var signature) ||
            !reader.IsEmpty || !IsWellFormed(suites))
        {
            return false;
        }

        list = new SignedSuiteList(suites.ToArray(), signature.ToArray());
        return true;
    }

    /// <summary>Parses and verifies against <paramref name="owner"/> in one step (the server's upload check).</summary>
    /// <param name="input">Untrusted bytes.</param>
    /// <param name="owner">The identity that must have signed it.</param>
    /// <param name="list">The verified list, or null.</param>
    public static bool TryParseVerified(ReadOnlySpan<byte> input, IdentityKey owner, [NotNullWhen(true)] out SignedSuiteList? list)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (TryParse(input, out list) && list.Verify(owner))
        {
            return true;
        }

        list = null;
        return false;
    }

    /// <summary>True when the list contains <paramref name="suite"/>.</summary>
    /// <param name="suite">The suite to look for.</param>
    public bool Contains(CipherSuite suite) => Array.IndexOf(_suites, (byte)suite) >= 0;

    /// <summary>True when <paramref name="owner"/>'s signing key signed this list. Never throws.</summary>
    /// <param name="owner">The claimed owner.</param>
    public bool Verify(IdentityKey owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return owner.Verify(SignatureInput(_suites), _signature);
    }

    /// <summary>Serializes the list.</summary>
    public byte[] Serialize()
    {
        var output = new byte[SerializedSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.SuiteList);
        output[2] = (byte)_suites.Length;
        _suites.CopyTo(output, 3);
        _signature.CopyTo(output, 3 + _suites.Length);
        return output;
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(SignedSuiteList)}({string.Join(",", _suites)})";

    private static bool IsWellFormed(ReadOnlySpan<byte> suites)
    {
        if (suites.IsEmpty || suites.Length > MaxSuites)
        {
            return false;
        }

        for (var i = 0; i < suites.Length; i++)
        {
            if (suites[i] == 0 || suites[(i + 1)..].Contains(suites[i]))
            {
                return false;
            }
        }

        return true;
    }

    // label || 0x00 || tag || id 0 || count || suites (no public key).
    private static byte[] SignatureInput(ReadOnlySpan<byte> suites)
    {
        Span<byte> metadata = stackalloc byte[1 + suites.Length];
        metadata[0] = (byte)suites.Length;
        suites.CopyTo(metadata[1..]);
        return KeyFormat.SignatureInput(KeyTypeTag.SuiteList, 0, metadata, []);
    }
}
