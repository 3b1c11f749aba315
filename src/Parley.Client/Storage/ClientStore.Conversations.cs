namespace Parley.Client.Storage;

/// <summary>Conversation summaries (latest message, unread count) for a conversation list, in one pass over the messages.</summary>
public sealed partial class ClientStore
{
    /// <summary>One summary per conversation that has messages, in no particular order.</summary>
    /// <returns>The summaries.</returns>
    public IReadOnlyList<ConversationSummary> ConversationSummaries()
    {
        var rows = new List<(long Seq, int Unread)>();
        using (var cmd = Command("SELECT MAX(seq), SUM(CASE WHEN shown = 0 AND direction = $in THEN 1 ELSE 0 END) FROM messages GROUP BY peer_tag"))
        {
            cmd.Parameters.AddWithValue("$in", (int)Messaging.MessageDirection.Incoming);
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt32(1)));
            }
        }

        var result = new List<ConversationSummary>(rows.Count);
        using var last = Command("SELECT id, direction, state, body FROM messages WHERE seq = $s");
        var seq = last.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Integer);
        foreach (var row in rows)
        {
            seq.Value = row.Seq;
            using var reader = last.ExecuteReader();
            if (reader.Read())
            {
                result.Add(new ConversationSummary(ReadMessage(reader), row.Unread));
            }
        }

        return result;
    }
}
