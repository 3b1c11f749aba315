using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Tests.Calls;

/// <summary>
/// A STUN message (RFC 8489) with the few TURN (RFC 8656) attributes the coturn tests need, written
/// here so the test depends on nothing but the RFCs: 20-byte header (type, length, magic cookie,
/// 96-bit transaction id), then type-length-value attributes padded to 4 bytes, and
/// MESSAGE-INTEGRITY = HMAC-SHA1 under the long-term key MD5(username ":" realm ":" password).
/// </summary>
internal sealed class StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;

    public const ushort AllocateRequest = 0x0003;
    public const ushort AllocateSuccess = 0x0103;
    public const ushort AllocateError = 0x0113;
    public const ushort CreatePermissionRequest = 0x0008;
    public const ushort CreatePermissionSuccess = 0x0108;
    public const ushort SendIndication = 0x0016;
    public const ushort DataIndication = 0x0017;

    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort XorPeerAddress = 0x0012;
    public const ushort Data = 0x0013;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort XorRelayedAddress = 0x0016;
    public const ushort RequestedTransport = 0x0019;

    public StunMessage(ushort type, byte[]? transactionId = null)
    {
        Type = type;
        TransactionId = transactionId ?? RandomNumberGenerator.GetBytes(12);
    }

    public ushort Type { get; }

    public byte[] TransactionId { get; }

    public List<(ushort Type, byte[] Value)> Attributes { get; } = [];

    /// <summary>Whether the message carried a MESSAGE-INTEGRITY that verified under the key given to <see cref="Decode"/>.</summary>
    public bool IntegrityVerified { get; private set; }

    public StunMessage Add(ushort type, byte[] value)
    {
        Attributes.Add((type, value));
        return this;
    }

    public StunMessage Add(ushort type, string value) => Add(type, Encoding.UTF8.GetBytes(value));

    public byte[]? Get(ushort type) => Attributes.Where(a => a.Type == type).Select(a => a.Value).FirstOrDefault();

    public string? GetString(ushort type) => Get(type) is { } v ? Encoding.UTF8.GetString(v) : null;

    /// <summary>The ERROR-CODE's number (class × 100 + number), or null when absent.</summary>
    public int? Error => Get(ErrorCode) is { Length: >= 4 } e ? (e[2] & 0x07) * 100 + e[3] : null;

    /// <summary>The long-term credential key (RFC 8489 9.2.2, MD5 variant).</summary>
    public static byte[] LongTermKey(string username, string realm, string password)
    {
#pragma warning disable CA5351 // MD5 is what RFC 8489's long-term credential key is defined with.
        return MD5.HashData(Encoding.UTF8.GetBytes(username + ":" + realm + ":" + password));
#pragma warning restore CA5351
    }

    /// <summary>An XOR-…-ADDRESS value for an IPv4 end point.</summary>
    public static byte[] XorAddress(IPEndPoint endPoint)
    {
        var value = new byte[8];
        value[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2), (ushort)(endPoint.Port ^ (MagicCookie >> 16)));
        var address = endPoint.Address.GetAddressBytes();
        BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(4), BinaryPrimitives.ReadUInt32BigEndian(address) ^ MagicCookie);
        return value;
    }

    /// <summary>Reads an IPv4 XOR-…-ADDRESS value.</summary>
    public static IPEndPoint ReadXorAddress(byte[] value)
    {
        Assert.True(value.Length == 8 && value[1] == 0x01, "expected an IPv4 XOR address");
        var port = BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(2)) ^ (int)(MagicCookie >> 16);
        var address = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(address, BinaryPrimitives.ReadUInt32BigEndian(value.AsSpan(4)) ^ MagicCookie);
        return new IPEndPoint(new IPAddress(address), port);
    }

    /// <summary>Encodes; with a key, appends MESSAGE-INTEGRITY as the last attribute.</summary>
    public byte[] Encode(byte[]? integrityKey = null)
    {
        using var body = new MemoryStream();
        foreach (var (type, value) in Attributes)
        {
            WriteAttribute(body, type, value);
        }
        var attributes = body.ToArray();
        var length = attributes.Length + (integrityKey is null ? 0 : 24);
        var message = new byte[HeaderLength + length];
        BinaryPrimitives.WriteUInt16BigEndian(message, Type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), MagicCookie);
        TransactionId.CopyTo(message, 8);
        attributes.CopyTo(message, HeaderLength);
        if (integrityKey is not null)
        {
            var offset = HeaderLength + attributes.Length;
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset), MessageIntegrity);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset + 2), 20);
            Hmac(integrityKey, message.AsSpan(0, offset)).CopyTo(message, offset + 4);
        }
        return message;
    }

    /// <summary>Decodes one whole message; with a key, checks its MESSAGE-INTEGRITY.</summary>
    public static StunMessage Decode(byte[] bytes, byte[]? integrityKey = null)
    {
        Assert.True(bytes.Length >= HeaderLength, "STUN message shorter than its header");
        Assert.Equal(MagicCookie, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)));
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2));
        Assert.Equal(bytes.Length, HeaderLength + length);
        var message = new StunMessage(BinaryPrimitives.ReadUInt16BigEndian(bytes), bytes[8..20]);
        var offset = HeaderLength;
        while (offset + 4 <= bytes.Length)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset));
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset + 2));
            Assert.True(offset + 4 + valueLength <= bytes.Length, "attribute runs past the message");
            var value = bytes[(offset + 4)..(offset + 4 + valueLength)];
            if (type == MessageIntegrity && integrityKey is not null)
            {
                var covered = bytes[..offset];
                BinaryPrimitives.WriteUInt16BigEndian(covered.AsSpan(2), (ushort)(offset - HeaderLength + 24));
                message.IntegrityVerified = CryptographicOperations.FixedTimeEquals(Hmac(integrityKey, covered), value);
            }
            message.Attributes.Add((type, value));
            offset += 4 + ((valueLength + 3) & ~3);
        }
        return message;
    }

    private static byte[] Hmac(byte[] key, ReadOnlySpan<byte> data)
    {
#pragma warning disable CA5350 // HMAC-SHA1 is STUN's MESSAGE-INTEGRITY.
        return HMACSHA1.HashData(key, data);
#pragma warning restore CA5350
    }

    private static void WriteAttribute(Stream stream, ushort type, byte[] value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)value.Length);
        stream.Write(header);
        stream.Write(value);
        stream.Write(new byte[(4 - value.Length % 4) % 4]);
    }
}
