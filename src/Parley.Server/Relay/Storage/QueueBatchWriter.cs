using System.Data.Common;
using Parley.Server.Storage;

namespace Parley.Server.Relay.Storage;

/// <summary>Writes one <see cref="QueueBatch"/> inside an open transaction, per engine capability.</summary>
internal static class QueueBatchWriter
{
    /// <summary>Re-executes two prepared commands (SQLite: no round trips, so this is the fast path).</summary>
    public static async Task WriteRowByRowAsync(DbConnection connection, DbTransaction transaction, QueueBatch batch,
        string insertSql, string deleteSql, CancellationToken cancellationToken)
    {
        batch.Inserted = new bool[batch.Inserts.Count];
        batch.Deleted = new int[batch.Deletes.Count];
        if (batch.Inserts.Count > 0)
        {
            await using var insert = connection.CreateCommand(insertSql, transaction);
            var p = AddInsertParameters(insert);
            for (var i = 0; i < batch.Inserts.Count; i++)
            {
                SetInsert(p, batch.Inserts[i]);
                batch.Inserted[i] = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
            }
        }

        if (batch.Deletes.Count > 0)
        {
            await using var delete = connection.CreateCommand(deleteSql, transaction);
            var p = AddDeleteParameters(delete);
            for (var i = 0; i < batch.Deletes.Count; i++)
            {
                SetDelete(p, batch.Deletes[i]);
                batch.Deleted[i] = await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>Sends every statement in one <see cref="DbBatch"/> (PostgreSQL: one round trip).</summary>
    public static async Task WriteBatchedAsync(DbConnection connection, DbTransaction transaction, QueueBatch batch,
        string insertSql, string deleteSql, CancellationToken cancellationToken)
    {
        batch.Inserted = new bool[batch.Inserts.Count];
        batch.Deleted = new int[batch.Deletes.Count];
        await using var dbBatch = connection.CreateBatch();
        dbBatch.Transaction = transaction;
        foreach (var message in batch.Inserts)
        {
            var command = dbBatch.CreateBatchCommand();
            command.CommandText = insertSql;
            SetInsert(AddParameters(command, 9), message);
            dbBatch.BatchCommands.Add(command);
        }

        foreach (var delete in batch.Deletes)
        {
            var command = dbBatch.CreateBatchCommand();
            command.CommandText = deleteSql;
            SetDelete(AddParameters(command, 3), delete);
            dbBatch.BatchCommands.Add(command);
        }

        await dbBatch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < batch.Inserts.Count; i++)
        {
            batch.Inserted[i] = dbBatch.BatchCommands[i].RecordsAffected == 1;
        }

        for (var i = 0; i < batch.Deletes.Count; i++)
        {
            batch.Deleted[i] = dbBatch.BatchCommands[batch.Inserts.Count + i].RecordsAffected;
        }
    }

    // Names carry their "@" prefix: Microsoft.Data.Sqlite then finds each parameter with one lookup per
    // execution instead of trying the bare name and all three prefixes (a measurable share of a commit).
    private static readonly string[] InsertNames = ["@seq", "@r", "@s", "@n", "@m", "@k", "@t", "@b", "@c"];
    private static readonly string[] DeleteNames = ["@s", "@m", "@r"];

    private static DbParameter[] AddInsertParameters(DbCommand command) => Bind(command.Parameters, command.CreateParameter, InsertNames);

    private static DbParameter[] AddDeleteParameters(DbCommand command) => Bind(command.Parameters, command.CreateParameter, DeleteNames);

    private static DbParameter[] AddParameters(DbBatchCommand command, int count) =>
        Bind(command.Parameters, command.CreateParameter, count == InsertNames.Length ? InsertNames : DeleteNames);

    private static DbParameter[] Bind(DbParameterCollection collection, Func<DbParameter> create, string[] names)
    {
        var parameters = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            parameters[i] = create();
            parameters[i].ParameterName = names[i];
            collection.Add(parameters[i]);
        }

        return parameters;
    }

    private static void SetInsert(DbParameter[] p, QueuedMessage message)
    {
        p[0].Value = message.Sequence;
        p[1].Value = message.RecipientId;
        p[2].Value = message.SenderId;
        p[3].Value = message.SenderName;
        p[4].Value = message.Id.ToBytes();
        p[5].Value = (int)message.Kind;
        p[6].Value = message.Subtype;
        p[7].Value = message.Body;
        p[8].Value = message.CreatedMs;
    }

    private static void SetDelete(DbParameter[] p, QueueDelete delete)
    {
        p[0].Value = delete.Key.SenderId;
        p[1].Value = delete.Key.Id.ToBytes();
        p[2].Value = delete.RecipientId;
    }
}
