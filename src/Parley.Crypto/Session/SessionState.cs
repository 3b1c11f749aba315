using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Session;

/// <summary>
/// One session state (docs/PROTOCOL.md section 6.4): suite (u8) ||
/// flags (u8; bit 0 = still sending PreKey messages) || remote identity key (130) || base key (32) ||
/// [pending agreement header: length (u16) || bytes] || ratchet state length (u32) || ratchet state.
/// </summary>
internal sealed class SessionState : IDisposable
{
    private const byte PendingFlag = 1;
    private const int BaseKeyLength = 32;

    internal SessionState(CipherSuite suite, IdentityKey remoteIdentity, byte[] baseKey, byte[]? pendingHeader, DoubleRatchet ratchet)
        : this(suite, remoteIdentity.Serialize(), baseKey, pendingHeader, ratchet)
    {
    }

    private SessionState(CipherSuite suite, byte[] remoteIdentity, byte[] baseKey, byte[]? pendingHeader, DoubleRatchet ratchet)
    {
        Suite = suite;
        RemoteIdentity = remoteIdentity;
        BaseKey = baseKey;
        PendingHeader = pendingHeader;
        Ratchet = ratchet;
    }

    internal CipherSuite Suite { get; }

    /// <summary>
    /// The contact's identity key as serialized when the session was made. Kept as bytes and compared
    /// with the trusted key byte for byte, so loading a record needs no signature verification.
    /// </summary>
    internal byte[] RemoteIdentity { get; }

    /// <summary>Whether <paramref name="trusted"/> is the identity this session was made with.</summary>
    internal bool IsWith(IdentityKey trusted) => trusted.Serialize().AsSpan().SequenceEqual(RemoteIdentity);

    /// <summary>The initiator's ephemeral key of the agreement that created this session.</summary>
    internal byte[] BaseKey { get; }

    /// <summary>The agreement header to repeat in every message until the responder answers; null afterwards.</summary>
    internal byte[]? PendingHeader { get; set; }

    internal DoubleRatchet Ratchet { get; }

    internal byte[] Serialize()
    {
        byte[] identity = RemoteIdentity;
        byte[] ratchet = Ratchet.Serialize();
        using var writer = new StateWriter();
        writer.Byte((byte)Suite);
        writer.Byte(PendingHeader is null ? (byte)0 : PendingFlag);
        writer.Bytes(identity);
        writer.Bytes(BaseKey);
        if (PendingHeader is not null)
        {
            writer.UInt16((ushort)PendingHeader.Length);
            writer.Bytes(PendingHeader);
        }

        writer.UInt32((uint)ratchet.Length);
        writer.Bytes(ratchet);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(ratchet);
        return writer.ToArray();
    }

    internal static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out SessionState? record)
    {
        record = null;
        var reader = new StateReader(bytes);
        if (!reader.Byte(out byte suite) || !CipherSuites.IsKnown((CipherSuite)suite) ||
            !reader.Byte(out byte flags) || (flags & ~PendingFlag) != 0 ||
            !reader.Bytes(IdentityKey.SerializedSize, out ReadOnlySpan<byte> identity) ||
            !reader.Bytes(BaseKeyLength, out ReadOnlySpan<byte> baseKey))
        {
            return false;
        }

        byte[]? pending = null;
        if ((flags & PendingFlag) != 0)
        {
            if (!reader.UInt16(out ushort length) || !reader.Bytes(length, out ReadOnlySpan<byte> header))
            {
                return false;
            }

            pending = header.ToArray();
        }

        if (!reader.UInt32(out uint ratchetLength) || ratchetLength > int.MaxValue ||
            !reader.Bytes((int)ratchetLength, out ReadOnlySpan<byte> ratchetBytes) || !reader.AtEnd ||
            !DoubleRatchet.TryDeserialize(ratchetBytes, out DoubleRatchet? ratchet))
        {
            return false;
        }

        if (ratchet.Algorithm != CipherSuites.AeadOf((CipherSuite)suite))
        {
            ratchet.Dispose();
            return false;
        }

        record = new SessionState((CipherSuite)suite, identity.ToArray(), baseKey.ToArray(), pending, ratchet);
        return true;
    }

    public void Dispose() => Ratchet.Dispose();
}
