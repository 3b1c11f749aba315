using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Parley.Server.Relay.Storage;

/// <summary>
/// Writes one <see cref="QueueBatch"/> on SQLite inside the connection's open transaction: inserts as
/// multi-row <c>INSERT … VALUES (…),(…) … RETURNING</c> statements of up to <see cref="RowsPerInsert"/>
/// rows and deletes as multi-row <c>DELETE … WHERE (…) IN (VALUES …) RETURNING</c> statements of up to
/// <see cref="RowsPerDelete"/>, on SQLite's own statement API with values bound by position — no
/// ADO.NET command, reader or parameter lookup per row, and one statement run per chunk instead of
/// one per row. A batch is cut into chunks of power-of-two sizes (the largest that fits, then smaller),
/// so the commit connection needs only a handful of prepared statements (<see cref="SqliteQueueCommitConnection"/>),
/// reused across batches instead of parsed per commit.
/// </summary>
internal static class SqliteQueueBatchWriter
{
    /// <summary>Rows per insert statement: 8 values each, far below SQLite's 32,766 host parameters.</summary>
    internal const int RowsPerInsert = 128;

    /// <summary>Rows per delete statement: 3 values each.</summary>
    internal const int RowsPerDelete = 256;

    private const int InsertColumns = 8;
    private const int DeleteColumns = 3;

    /// <summary>Applies the batch on the commit connection's open transaction and fills its results; the caller commits.</summary>
    public static void Write(SqliteQueueCommitConnection connection, QueueBatch batch)
    {
        batch.Inserted = new bool[batch.Inserts.Count];
        batch.Deleted = new int[batch.Deletes.Count];
        var db = connection.Connection.Handle!;
        for (int start = 0, rows; start < batch.Inserts.Count; start += rows)
        {
            rows = Chunk(batch.Inserts.Count - start, RowsPerInsert);
            Insert(db, connection.Statement(insert: true, rows, InsertText), batch, start, rows);
        }

        batch.CheckSequenceOrder();
        if (batch.Deletes.Count > 0)
        {
            var positions = new Dictionary<QueueDelete, int>(batch.Deletes.Count);
            for (var i = 0; i < batch.Deletes.Count; i++)
            {
                // A delete named twice removes one row; the first counts it, as row by row.
                positions.TryAdd(batch.Deletes[i], i);
            }

            for (int start = 0, rows; start < batch.Deletes.Count; start += rows)
            {
                rows = Chunk(batch.Deletes.Count - start, RowsPerDelete);
                Delete(db, connection.Statement(insert: false, rows, DeleteText), batch, positions, start, rows);
            }
        }
    }

    /// <summary>The rows of the next chunk: all that is left up to <paramref name="max"/>, rounded down to a power of two.</summary>
    internal static int Chunk(int left, int max) => left >= max ? max : 1 << BitOperations.Log2((uint)left);

    private static void Insert(sqlite3 db, sqlite3_stmt statement, QueueBatch batch, int start, int count)
    {
        try
        {
            InsertRows(db, statement, batch, start, count);
        }
        finally
        {
            SqliteQueueCommitConnection.Release(statement);
        }
    }

    private static void InsertRows(sqlite3 db, sqlite3_stmt statement, QueueBatch batch, int start, int count)
    {
        Span<byte> id = stackalloc byte[RelayLimits.MessageIdBytes];
        var positions = new Dictionary<MessageKey, int>(count);
        for (var row = 0; row < count; row++)
        {
            var message = batch.Inserts[start + row];
            positions.TryAdd(message.Key, start + row);
            var p = (row * InsertColumns) + 1;
            BinaryPrimitives.WriteUInt128BigEndian(id, message.Id.Value);
            Check(db, raw.sqlite3_bind_int64(statement, p, message.RecipientId));
            Check(db, raw.sqlite3_bind_int64(statement, p + 1, message.SenderId));
            Check(db, raw.sqlite3_bind_text(statement, p + 2, message.SenderName));
            Check(db, raw.sqlite3_bind_blob(statement, p + 3, id));
            Check(db, raw.sqlite3_bind_int(statement, p + 4, (int)message.Kind));
            Check(db, raw.sqlite3_bind_int(statement, p + 5, message.Subtype));
            Check(db, raw.sqlite3_bind_blob(statement, p + 6, message.Body));
            Check(db, raw.sqlite3_bind_int64(statement, p + 7, message.CreatedMs));
        }

        // RETURNING names each created row by its key: its row order is not specified.
        int rc;
        while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
            var i = positions[ReadKey(statement, 1)];
            batch.Inserted[i] = true;
            batch.Inserts[i].Sequence = raw.sqlite3_column_int64(statement, 0);
        }

        Done(db, rc);
    }

    private static void Delete(sqlite3 db, sqlite3_stmt statement, QueueBatch batch, Dictionary<QueueDelete, int> positions, int start, int count)
    {
        try
        {
            DeleteRows(db, statement, batch, positions, start, count);
        }
        finally
        {
            SqliteQueueCommitConnection.Release(statement);
        }
    }

    private static void DeleteRows(sqlite3 db, sqlite3_stmt statement, QueueBatch batch, Dictionary<QueueDelete, int> positions, int start, int count)
    {
        Span<byte> id = stackalloc byte[RelayLimits.MessageIdBytes];
        for (var row = 0; row < count; row++)
        {
            var delete = batch.Deletes[start + row];
            var p = (row * DeleteColumns) + 1;
            BinaryPrimitives.WriteUInt128BigEndian(id, delete.Key.Id.Value);
            Check(db, raw.sqlite3_bind_int64(statement, p, delete.Key.SenderId));
            Check(db, raw.sqlite3_bind_blob(statement, p + 1, id));
            Check(db, raw.sqlite3_bind_int64(statement, p + 2, delete.RecipientId));
        }

        int rc;
        while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
            batch.Deleted[positions[new QueueDelete(raw.sqlite3_column_int64(statement, 0), ReadKey(statement, 1))]] = 1;
        }

        Done(db, rc);
    }

    private static string InsertText(int rows)
    {
        var sql = new StringBuilder(
            "INSERT INTO relay_queue (recipient_id, sender_id, sender_name, message_id, kind, subtype, body, created_ms) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)");
        }

        return sql.Append(" ON CONFLICT (sender_id, message_id) DO NOTHING RETURNING seq, sender_id, message_id").ToString();
    }

    private static string DeleteText(int rows)
    {
        // Rows found through the (sender_id, message_id) index, deleted by rowid ("(a, b, c) IN (VALUES …)"
        // would scan the table).
        var sql = new StringBuilder("DELETE FROM relay_queue WHERE seq IN (SELECT q.seq FROM (VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(?,?,?)" : ",(?,?,?)");
        }

        return sql.Append(") AS d CROSS JOIN relay_queue q ON q.sender_id = d.column1 AND q.message_id = d.column2 AND q.recipient_id = d.column3)")
            .Append(" RETURNING recipient_id, sender_id, message_id").ToString();
    }

    private static MessageKey ReadKey(sqlite3_stmt statement, int senderColumn)
    {
        if (!MessageId.TryRead(raw.sqlite3_column_blob(statement, senderColumn + 1), out var id))
        {
            throw new InvalidDataException("Stored message id has the wrong length.");
        }

        return new MessageKey(raw.sqlite3_column_int64(statement, senderColumn), id);
    }

    private static void Done(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
