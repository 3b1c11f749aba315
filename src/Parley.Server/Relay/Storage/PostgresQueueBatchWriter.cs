using System.Data.Common;
using Parley.Server.Storage;

namespace Parley.Server.Relay.Storage;

/// <summary>
/// Writes one <see cref="QueueBatch"/> on PostgreSQL as at most two statements, whatever its size: one
/// multi-row <c>INSERT … SELECT FROM unnest(arrays)</c> and one <c>DELETE … USING unnest(arrays)</c>,
/// sent together in one round trip. Both texts are constant, so each is parsed and planned once per
/// pooled connection (auto-prepare) instead of once per row.
/// </summary>
internal static class PostgresQueueBatchWriter
{
    // ORDER BY the position: rows are inserted, and their sequence numbers drawn, in the batch's order
    // (checked after the fact, QueueBatch.CheckSequenceOrder). RETURNING names each created row by its unique key,
    // because RETURNING's row order is not specified.
    private const string InsertSql =
        "INSERT INTO relay_queue (recipient_id, sender_id, sender_name, message_id, kind, subtype, body, created_ms) " +
        "SELECT u.r, u.s, u.n, u.m, u.k, u.t, u.b, u.c " +
        "FROM unnest(@r::bigint[], @s::bigint[], @n::text[], @m::bytea[], @k::integer[], @t::integer[], @b::bytea[], @c::bigint[]) " +
        "WITH ORDINALITY AS u(r, s, n, m, k, t, b, c, i) ORDER BY u.i " +
        "ON CONFLICT (sender_id, message_id) DO NOTHING RETURNING seq, sender_id, message_id";

    private const string DeleteSql =
        "DELETE FROM relay_queue q USING unnest(@s::bigint[], @m::bytea[], @r::bigint[]) AS d(s, m, r) " +
        "WHERE q.sender_id = d.s AND q.message_id = d.m AND q.recipient_id = d.r RETURNING q.recipient_id, q.sender_id, q.message_id";

    // The queue is small but churns (many dead rows between vacuums): left to itself the planner would
    // hash-join the arrays against a sequential scan of the whole table for every commit. Within this
    // transaction only, each delete is a nested loop over the (sender_id, message_id) index instead.
    private const string DeletePlanSql =
        "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true), " +
        "set_config('enable_mergejoin', 'off', true)";

    /// <summary>Applies the batch inside <paramref name="transaction"/> and fills its results.</summary>
    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, QueueBatch batch, CancellationToken cancellationToken)
    {
        batch.Inserted = new bool[batch.Inserts.Count];
        batch.Deleted = new int[batch.Deletes.Count];
        await using var dbBatch = connection.CreateBatch();
        dbBatch.Transaction = transaction;
        if (batch.Inserts.Count > 0)
        {
            dbBatch.BatchCommands.Add(InsertCommand(dbBatch, batch.Inserts));
        }

        if (batch.Deletes.Count > 0)
        {
            var plan = dbBatch.CreateBatchCommand();
            plan.CommandText = DeletePlanSql;
            dbBatch.BatchCommands.Add(plan);
            dbBatch.BatchCommands.Add(DeleteCommand(dbBatch, batch.Deletes));
        }

        await using var reader = await dbBatch.ExecuteReaderAsync(cancellationToken);
        if (batch.Inserts.Count > 0)
        {
            var positions = Positions(batch.Inserts);
            while (await reader.ReadAsync(cancellationToken))
            {
                var i = positions[Key(reader, 1)];
                batch.Inserted[i] = true;
                batch.Inserts[i].Sequence = reader.GetInt64(0);
            }

            batch.CheckSequenceOrder();
            await reader.NextResultAsync(cancellationToken);
        }

        if (batch.Deletes.Count > 0)
        {
            await reader.NextResultAsync(cancellationToken); // past the planner settings' row
            var positions = Positions(batch.Deletes);
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.Deleted[positions[new QueueDelete(reader.GetInt64(0), Key(reader, 1))]] = 1;
            }
        }
    }

    private static DbBatchCommand InsertCommand(DbBatch dbBatch, List<QueuedMessage> inserts)
    {
        var n = inserts.Count;
        var (r, s, names, m, k, t, b, c) = (new long[n], new long[n], new string[n], new byte[n][], new int[n], new int[n], new byte[n][], new long[n]);
        for (var i = 0; i < n; i++)
        {
            var message = inserts[i];
            (r[i], s[i], names[i], m[i]) = (message.RecipientId, message.SenderId, message.SenderName, message.Id.ToBytes());
            (k[i], t[i], b[i], c[i]) = ((int)message.Kind, message.Subtype, message.Body, message.CreatedMs);
        }

        var command = dbBatch.CreateBatchCommand();
        command.CommandText = InsertSql;
        Add(command, "r", r);
        Add(command, "s", s);
        Add(command, "n", names);
        Add(command, "m", m);
        Add(command, "k", k);
        Add(command, "t", t);
        Add(command, "b", b);
        Add(command, "c", c);
        return command;
    }

    private static DbBatchCommand DeleteCommand(DbBatch dbBatch, List<QueueDelete> deletes)
    {
        var n = deletes.Count;
        var (s, m, r) = (new long[n], new byte[n][], new long[n]);
        for (var i = 0; i < n; i++)
        {
            (s[i], m[i], r[i]) = (deletes[i].Key.SenderId, deletes[i].Key.Id.ToBytes(), deletes[i].RecipientId);
        }

        var command = dbBatch.CreateBatchCommand();
        command.CommandText = DeleteSql;
        Add(command, "s", s);
        Add(command, "m", m);
        Add(command, "r", r);
        return command;
    }

    private static void Add(DbBatchCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The first position of each key (the writer never puts one key in a batch's inserts twice).</summary>
    private static Dictionary<MessageKey, int> Positions(List<QueuedMessage> inserts)
    {
        var positions = new Dictionary<MessageKey, int>(inserts.Count);
        for (var i = 0; i < inserts.Count; i++)
        {
            positions.TryAdd(inserts[i].Key, i);
        }

        return positions;
    }

    /// <summary>
    /// The first position of each delete (recipient and key: one naming another recipient removes
    /// nothing and must not take the count). A key acknowledged twice in one batch removes one row, and
    /// the first acknowledgement counts it, as when the statements ran row by row.
    /// </summary>
    private static Dictionary<QueueDelete, int> Positions(List<QueueDelete> deletes)
    {
        var positions = new Dictionary<QueueDelete, int>(deletes.Count);
        for (var i = 0; i < deletes.Count; i++)
        {
            positions.TryAdd(deletes[i], i);
        }

        return positions;
    }

    /// <summary>The (sender, id) key of a returned row whose sender id is at <paramref name="senderOrdinal"/>, the id after it.</summary>
    private static MessageKey Key(DbDataReader reader, int senderOrdinal)
    {
        if (!MessageId.TryRead((byte[])reader.GetValue(senderOrdinal + 1), out var id))
        {
            throw new InvalidDataException("Stored message id has the wrong length.");
        }

        return new MessageKey(reader.GetInt64(senderOrdinal), id);
    }

}
