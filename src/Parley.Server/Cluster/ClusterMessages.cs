using System.Buffers.Binary;
using System.Text;

namespace Parley.Server.Cluster;

/// <summary>
/// The Redis pub/sub channels and their binary payloads. Every payload starts with the publishing
/// node's 16-byte tag (a node ignores its own). What travels is the minimum a node needs: account ids,
/// database sequence numbers, an online flag with the username presence frames show — never message
/// content, and never a sender next to a recipient.
/// </summary>
internal static class ClusterMessages
{
    /// <summary>"These accounts have mail from sequence S on": repeated (account, sequence).</summary>
    public const string MailChannel = "parley:mail";

    /// <summary>"Account X connected (connection nonce N)": older connections elsewhere close.</summary>
    public const string ConnectionChannel = "parley:conn";

    /// <summary>"Account X (username) is online/offline": contacts on every node hear.</summary>
    public const string PresenceChannel = "parley:presence";

    /// <summary>"Account X's contact relations changed": every node drops its cached set.</summary>
    public const string ContactsChannel = "parley:contacts";

    /// <summary>Prefix of the key saying which node holds an account's connection.</summary>
    public const string OnlineKeyPrefix = "parley:online:";

    /// <summary>Bytes of a node tag.</summary>
    public const int TagBytes = 16;

    /// <summary>Bytes of one (account, sequence) entry of a mail doorbell.</summary>
    public const int MailEntryBytes = 16;

    public static byte[] Mail(ReadOnlySpan<byte> tag, IReadOnlyDictionary<long, long> firstSequenceByAccount)
    {
        var payload = new byte[TagBytes + (firstSequenceByAccount.Count * MailEntryBytes)];
        tag.CopyTo(payload);
        var offset = TagBytes;
        foreach (var (account, sequence) in firstSequenceByAccount)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(offset), account);
            BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(offset + 8), sequence);
            offset += MailEntryBytes;
        }

        return payload;
    }

    public static byte[] Connection(ReadOnlySpan<byte> tag, long account, long nonce)
    {
        var payload = new byte[TagBytes + 16];
        tag.CopyTo(payload);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(TagBytes), account);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(TagBytes + 8), nonce);
        return payload;
    }

    public static byte[] Presence(ReadOnlySpan<byte> tag, long account, string username, bool online)
    {
        var name = Encoding.UTF8.GetBytes(username);
        var payload = new byte[TagBytes + 9 + name.Length];
        tag.CopyTo(payload);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(TagBytes), account);
        payload[TagBytes + 8] = online ? (byte)1 : (byte)0;
        name.CopyTo(payload.AsSpan(TagBytes + 9));
        return payload;
    }

    public static byte[] Account(ReadOnlySpan<byte> tag, long account)
    {
        var payload = new byte[TagBytes + 8];
        tag.CopyTo(payload);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(TagBytes), account);
        return payload;
    }

    /// <summary>Splits a payload into its sender tag and body; false when it is too short to be ours.</summary>
    public static bool TrySplit(byte[]? payload, ReadOnlySpan<byte> ownTag, out ReadOnlySpan<byte> body, out bool own)
    {
        body = default;
        own = false;
        if (payload is null || payload.Length < TagBytes)
        {
            return false;
        }

        own = payload.AsSpan(0, TagBytes).SequenceEqual(ownTag);
        body = payload.AsSpan(TagBytes);
        return true;
    }

    public static long ReadInt64(ReadOnlySpan<byte> body, int offset) => BinaryPrimitives.ReadInt64LittleEndian(body[offset..]);
}
