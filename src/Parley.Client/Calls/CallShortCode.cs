using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;

namespace Parley.Client.Calls;

/// <summary>
/// The short code two people in a call can read aloud to each other (docs/PROTOCOL.md 10B.5): six
/// decimal digits derived from both identity keys and both DTLS certificate fingerprints, the same
/// on both sides. It is an extra check on top of the fingerprint comparison the machine already
/// makes: two people who hear the same digits know their browsers' DTLS certificates and their
/// identity keys are the ones the other side sees.
/// </summary>
public static class CallShortCode
{
    /// <summary>The digits of the code.</summary>
    public const int Digits = 6;

    /// <summary>Bytes of one side's input: Ed25519 key (32) || X25519 key (32) || DTLS fingerprint (32).</summary>
    public const int SideLength = Ed25519.PublicKeySize + X25519.PublicKeySize + DtlsFingerprint.ByteLength;

    /// <summary>The domain separation prefix hashed first (ASCII, no terminator).</summary>
    public static ReadOnlySpan<byte> Domain => "parley call short code v1"u8;

    private const int ReadBytes = 5;
    private const long Modulus = 1_000_000;

    /// <summary>Derives the code from our side (identity, certificate) and the contact's; the argument order does not matter.</summary>
    /// <param name="local">Our identity key.</param>
    /// <param name="localFingerprint">Our DTLS certificate's fingerprint (as signalled).</param>
    /// <param name="remote">The contact's identity key (the pinned one).</param>
    /// <param name="remoteFingerprint">The contact's DTLS certificate fingerprint (as signalled and seen by the media).</param>
    /// <returns>Six digits as two groups of three separated by a space, e.g. <c>042 917</c>.</returns>
    public static string Derive(IdentityKey local, DtlsFingerprint localFingerprint, IdentityKey remote, DtlsFingerprint remoteFingerprint)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(localFingerprint);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(remoteFingerprint);
        Span<byte> a = stackalloc byte[SideLength];
        Span<byte> b = stackalloc byte[SideLength];
        Side(local, localFingerprint, a);
        Side(remote, remoteFingerprint, b);
        var first = a.SequenceCompareTo(b) <= 0;

        Span<byte> input = stackalloc byte[Domain.Length + (2 * SideLength)];
        Domain.CopyTo(input);
        (first ? a : b).CopyTo(input[Domain.Length..]);
        (first ? b : a).CopyTo(input[(Domain.Length + SideLength)..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);

        Span<byte> wide = stackalloc byte[sizeof(ulong)];
        wide.Clear();
        hash[..ReadBytes].CopyTo(wide[(sizeof(ulong) - ReadBytes)..]);
        var value = (long)(BinaryPrimitives.ReadUInt64BigEndian(wide) % Modulus);
        var text = value.ToString("D6", CultureInfo.InvariantCulture);
        return string.Concat(text.AsSpan(0, Digits / 2), " ", text.AsSpan(Digits / 2));
    }

    private static void Side(IdentityKey key, DtlsFingerprint fingerprint, Span<byte> into)
    {
        key.SigningKey.CopyTo(into);
        key.AgreementKey.CopyTo(into[Ed25519.PublicKeySize..]);
        fingerprint.Bytes.CopyTo(into[(Ed25519.PublicKeySize + X25519.PublicKeySize)..]);
    }
}
