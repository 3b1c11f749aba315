using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parley.Client.Messaging;

namespace Parley.Client.Storage;

/// <summary>Messages (sealed bodies) and the outbox of frames not yet acknowledged by the server.</summary>
public sealed partial class ClientStore
{
    /// <summary>The most messages one history query returns.</summary>
    public const int MaxHistoryLimit = 10_000;

    private static readonly string[] DiscardStatements = ["DELETE FROM outbox WHERE id = $id", "DELETE FROM messages WHERE id = $id AND direction = 2"];

    /// <summary>Whether a message with this id is already stored (used to drop redelivered messages before decrypting).</summary>
    /// <param name="id">The id.</param>
    /// <returns>Whether it exists.</returns>
    public bool HasMessage(MessageId id)
    {
        using var cmd = Command("SELECT 1 FROM messages WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", id.ToString());
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>Whether the message <paramref name="id"/> belongs to the conversation with <paramref name="peer"/> (a history cursor's check).</summary>
    /// <param name="peer">The contact.</param>
    /// <param name="id">The message id.</param>
    /// <returns>Whether it is stored in that conversation.</returns>
    public bool HasMessage(string peer, MessageId id)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        using var cmd = Command("SELECT 1 FROM messages WHERE id = $id AND peer_tag = $p");
        cmd.Parameters.AddWithValue("$id", id.ToString());
        cmd.Parameters.AddWithValue("$p", _sealer.LookupTag("peer\0" + peer));
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>Stores an incoming message unless its id is already known.</summary>
    /// <param name="message">The message.</param>
    /// <returns>True if stored; false if it was a duplicate.</returns>
    public bool TryAddIncoming(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Insert(message, shown: false, outboxPayload: null);
    }

    /// <summary>Stores an outgoing message together with the frame to (re)send, atomically.</summary>
    /// <param name="message">The message (state <see cref="DeliveryState.Pending"/>).</param>
    /// <param name="outboxPayload">The encrypted frame, resent until the server acknowledges it.</param>
    public void AddOutgoing(StoredMessage message, ReadOnlySpan<byte> outboxPayload)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Insert(message, shown: true, outboxPayload.ToArray()))
        {
            throw new InvalidOperationException("Duplicate outgoing message id.");
        }
    }

    /// <summary>Stores a finished call in its conversation's history (already shown: no read receipt is owed for it).</summary>
    /// <param name="record">The call's history record.</param>
    /// <returns>The stored entry, or null when this call was recorded before.</returns>
    public StoredMessage? AddCallRecord(Calls.CallRecord record)
    {
        var entry = StoredMessage.ForCall(record);
        return Insert(entry, shown: true, outboxPayload: null) ? entry : null;
    }

    /// <summary>Moves a message's state forward (never back).</summary>
    /// <param name="id">The message.</param>
    /// <param name="state">The new state.</param>
    /// <returns>Whether the state changed.</returns>
    public bool AdvanceState(MessageId id, DeliveryState state)
    {
        using var cmd = Command("UPDATE messages SET state = $s WHERE id = $id AND state < $s");
        cmd.Parameters.AddWithValue("$id", id.ToString());
        cmd.Parameters.AddWithValue("$s", (int)state);
        return cmd.ExecuteNonQuery() > 0;
    }

    /// <summary>Returns the incoming messages never shown yet, oldest first, and marks them shown (and read).</summary>
    /// <param name="peer">Only this peer's messages, or null for all.</param>
    /// <returns>The messages.</returns>
    public IReadOnlyList<StoredMessage> TakeUnshownIncoming(string? peer = null)
    {
        var result = new List<StoredMessage>();
        var filter = peer is null ? string.Empty : " AND peer_tag = $p";
        InTransaction(() =>
        {
            using (var cmd = Command("SELECT id, direction, state, body FROM messages WHERE shown = 0" + filter + " ORDER BY seq"))
            {
                if (peer is not null)
                {
                    cmd.Parameters.AddWithValue("$p", _sealer.LookupTag("peer\0" + peer));
                }

                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    result.Add(ReadMessage(reader));
                }
            }

            foreach (var message in result)
            {
                using var mark = Command("UPDATE messages SET shown = 1, state = MAX(state, $s) WHERE id = $id");
                mark.Parameters.AddWithValue("$id", message.Id.ToString());
                mark.Parameters.AddWithValue("$s", (int)DeliveryState.Read);
                mark.ExecuteNonQuery();
            }
        });
        return result;
    }

    /// <summary>Forgets an outgoing message the server refused for good (not a contact, too large).</summary>
    /// <param name="id">The message.</param>
    public void DiscardOutgoing(MessageId id)
    {
        InTransaction(() =>
        {
            foreach (var sql in DiscardStatements)
            {
                using var cmd = Command(sql);
                cmd.Parameters.AddWithValue("$id", id.ToString());
                cmd.ExecuteNonQuery();
            }
        });
    }

    /// <summary>The number of frames waiting in the outbox.</summary>
    /// <returns>The count.</returns>
    public int CountOutbox()
    {
        using var cmd = Command("SELECT COUNT(*) FROM outbox");
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The last <paramref name="limit"/> messages stored for <paramref name="peer"/>, in conversation
    /// order (a message held under a changed key and released after <c>trust</c> appears where it was sent).
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="limit">How many (1..<see cref="MaxHistoryLimit"/>).</param>
    /// <returns>The messages.</returns>
    public IReadOnlyList<StoredMessage> History(string peer, int limit) => HistoryPage(peer, limit, before: null)!.Messages;

    /// <summary>
    /// One page of <paramref name="peer"/>'s conversation: the last <paramref name="limit"/> messages
    /// stored before the message <paramref name="before"/> (or the newest, without it), in conversation
    /// order, and the cursor for the page before that one. The cursor is a message id, so it stays valid
    /// while new messages arrive.
    /// </summary>
    /// <param name="peer">The contact.</param>
    /// <param name="limit">How many (1..<see cref="MaxHistoryLimit"/>).</param>
    /// <param name="before">The cursor a previous page returned, or null for the newest page.</param>
    /// <returns>The page, or null when <paramref name="before"/> is not a message of this conversation.</returns>
    public HistoryPage? HistoryPage(string peer, int limit, MessageId? before)
    {
        ArgumentException.ThrowIfNullOrEmpty(peer);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxHistoryLimit);
        var tag = _sealer.LookupTag("peer\0" + peer);
        var bound = long.MaxValue;
        if (before is { } cursor)
        {
            using var find = Command("SELECT seq FROM messages WHERE id = $id AND peer_tag = $p");
            find.Parameters.AddWithValue("$id", cursor.ToString());
            find.Parameters.AddWithValue("$p", tag);
            if (find.ExecuteScalar() is not long seq)
            {
                return null;
            }

            bound = seq;
        }

        var result = new List<StoredMessage>();
        using var cmd = Command("SELECT id, direction, state, body FROM messages WHERE peer_tag = $p AND seq < $b ORDER BY seq DESC LIMIT $n");
        cmd.Parameters.AddWithValue("$p", tag);
        cmd.Parameters.AddWithValue("$b", bound);
        cmd.Parameters.AddWithValue("$n", limit + 1); // one more tells whether an older page exists
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            result.Add(ReadMessage(reader));
        }

        var more = result.Count > limit;
        if (more)
        {
            result.RemoveAt(limit);
        }

        MessageId? older = more ? result[^1].Id : null;
        result.Reverse();
        return new HistoryPage(InConversationOrder(result), older);
    }

    /// <summary>Reads one message by id, or null.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The message.</returns>
    public StoredMessage? GetMessage(MessageId id)
    {
        using var cmd = Command("SELECT id, direction, state, body FROM messages WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", id.ToString());
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? ReadMessage(reader) : null;
    }

    /// <summary>The frames not yet acknowledged by the server, oldest first.</summary>
    /// <returns>Pairs of message id and frame.</returns>
    public IReadOnlyList<(MessageId Id, byte[] Payload)> PendingOutbox()
    {
        var result = new List<(MessageId, byte[])>();
        using var cmd = Command("SELECT id, payload FROM outbox ORDER BY seq");
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var idText = reader.GetString(0);
            _ = MessageId.TryParse(idText, out var id);
            result.Add((id, _sealer.Open((byte[])reader["payload"], "outbox/" + idText)));
        }

        return result;
    }

    /// <summary>Drops a frame from the outbox once the server acknowledged it, and marks the message sent.</summary>
    /// <param name="id">The message.</param>
    public void MarkAcknowledged(MessageId id)
    {
        InTransaction(() =>
        {
            using var cmd = Command("DELETE FROM outbox WHERE id = $id");
            cmd.Parameters.AddWithValue("$id", id.ToString());
            cmd.ExecuteNonQuery();
            AdvanceState(id, DeliveryState.Sent);
        });
    }

    private bool Insert(StoredMessage message, bool shown, byte[]? outboxPayload)
    {
        var inserted = false;
        InTransaction(() =>
        {
            var idText = message.Id.ToString();
            var body = new MessageBody
            {
                Peer = message.Peer, Text = message.Text, SentAt = message.SentAt, Released = message.Released,
                Call = message.Call is { } call ? CallBody.From(call) : null,
            };
            using var cmd = Command("""
                INSERT INTO messages (id, peer_tag, direction, state, shown, body) VALUES ($id, $p, $d, $s, $sh, $b)
                ON CONFLICT (id) DO NOTHING
                """);
            cmd.Parameters.AddWithValue("$id", idText);
            cmd.Parameters.AddWithValue("$p", _sealer.LookupTag("peer\0" + message.Peer));
            cmd.Parameters.AddWithValue("$d", (int)message.Direction);
            cmd.Parameters.AddWithValue("$s", (int)message.State);
            cmd.Parameters.AddWithValue("$sh", shown ? 1 : 0);
            cmd.Parameters.AddWithValue("$b", _sealer.Seal(JsonSerializer.SerializeToUtf8Bytes(body, MessageJsonContext.Default.MessageBody), "messages/" + idText));
            inserted = cmd.ExecuteNonQuery() > 0;
            if (inserted && outboxPayload is not null)
            {
                using var outbox = Command("INSERT INTO outbox (id, seq, payload) VALUES ($id, (SELECT seq FROM messages WHERE id = $id), $v)");
                outbox.Parameters.AddWithValue("$id", idText);
                outbox.Parameters.AddWithValue("$v", _sealer.Seal(outboxPayload, "outbox/" + idText));
                outbox.ExecuteNonQuery();
            }
        });
        return inserted;
    }

    private StoredMessage ReadMessage(SqliteDataReader reader)
    {
        var idText = reader.GetString(0);
        if (!MessageId.TryParse(idText, out var id))
        {
            throw new Errors.ParleyClientException(Errors.ClientErrorKind.StoreCorrupt);
        }

        var body = JsonSerializer.Deserialize(_sealer.Open((byte[])reader["body"], "messages/" + idText), MessageJsonContext.Default.MessageBody)
            ?? throw new Errors.ParleyClientException(Errors.ClientErrorKind.StoreCorrupt);
        return new StoredMessage
        {
            Id = id,
            Peer = body.Peer,
            Direction = (MessageDirection)reader.GetInt32(1),
            State = (DeliveryState)reader.GetInt32(2),
            Text = body.Text,
            SentAt = body.SentAt,
            Released = body.Released,
            Call = body.Call?.ToRecord(body.Peer),
        };
    }

    /// <summary>
    /// Conversation order: messages in the order they were stored, except those released after a
    /// trust decision, which go where they were sent (before the first message sent after them).
    /// </summary>
    private static List<StoredMessage> InConversationOrder(List<StoredMessage> stored)
    {
        var result = stored.Where(m => !m.Released).ToList();
        foreach (var released in stored.Where(m => m.Released))
        {
            var next = result.FindIndex(m => m.SentAt > released.SentAt);
            result.Insert(next < 0 ? result.Count : next, released);
        }

        return result;
    }
}
