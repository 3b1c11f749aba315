using System.Buffers.Binary;
using System.Security.Cryptography;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Agreement;

/// <summary>The byte-exact derivation of PROTOCOL.md section 4: associated data, HKDF input and info.</summary>
internal static class AgreementKdf
{
    /// <summary>HKDF info label; followed by the suite id and the transcript hash.</summary>
    public static ReadOnlySpan<byte> InfoLabel => "Parley X3DH+ML-KEM-1024 v1"u8;

    public const int DhSize = X25519.SharedSecretSize;

    /// <summary>AD = len(A) || A || IK_A.sig || IK_A.dh || len(B) || B || IK_B.sig || IK_B.dh (lengths 2 bytes BE).</summary>
    public static byte[] AssociatedData(string initiatorId, IdentityKey initiator, string responderId, IdentityKey responder)
    {
        var a = AccountIds.EncodeOrThrow(initiatorId, nameof(initiatorId));
        var b = AccountIds.EncodeOrThrow(responderId, nameof(responderId));
        var output = new byte[2 + a.Length + 64 + 2 + b.Length + 64];
        var span = output.AsSpan();
        span = WriteParty(span, a, initiator);
        WriteParty(span, b, responder);
        return output;
    }

    /// <summary>
    /// SK = HKDF-SHA256(salt = 32 zero bytes, IKM = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4] || SS,
    /// info = label || suite || SHA-256(AD || header || SPK_B || [OPK_B] || KEMPK_B)), 32 bytes.
    /// </summary>
    public static byte[] DeriveRootKey(
        ReadOnlySpan<byte> dhOutputs,
        ReadOnlySpan<byte> kemSecret,
        CipherSuite suite,
        ReadOnlySpan<byte> associatedData,
        InitialMessageHeader header,
        ReadOnlySpan<byte> signedPreKey,
        ReadOnlySpan<byte> oneTimePreKey,
        ReadOnlySpan<byte> kemPreKey)
    {
        var ikm = new byte[32 + dhOutputs.Length + kemSecret.Length];
        try
        {
            ikm.AsSpan(0, 32).Fill(0xFF);
            dhOutputs.CopyTo(ikm.AsSpan(32));
            kemSecret.CopyTo(ikm.AsSpan(32 + dhOutputs.Length));

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(associatedData);
            hash.AppendData(header.Encoded);
            hash.AppendData(signedPreKey);
            hash.AppendData(oneTimePreKey);
            hash.AppendData(kemPreKey);
            var label = InfoLabel;
            var info = new byte[label.Length + 1 + 32];
            label.CopyTo(info);
            info[label.Length] = (byte)suite;
            hash.GetHashAndReset(info.AsSpan(label.Length + 1));

            var rootKey = new byte[AgreementResult.RootKeySize];
            Kdf.Hkdf(ikm, stackalloc byte[32], info, rootKey);
            return rootKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    private static Span<byte> WriteParty(Span<byte> span, byte[] accountId, IdentityKey identity)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)accountId.Length);
        accountId.CopyTo(span[2..]);
        span = span[(2 + accountId.Length)..];
        identity.SigningKey.CopyTo(span);
        identity.AgreementKey.CopyTo(span[32..]);
        return span[64..];
    }
}
