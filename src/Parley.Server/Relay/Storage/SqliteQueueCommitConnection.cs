using Microsoft.Data.Sqlite;
using Parley.Server.Storage;
using SQLitePCL;

namespace Parley.Server.Relay.Storage;

/// <summary>
/// The SQLite queue's commit connection: opened once and kept between group commits (with
/// <c>synchronous=FULL</c> set once), its batch statements prepared once per chunk size and reused,
/// reset and unbound after each use, instead of a pooled open, four PRAGMAs and two statement parses
/// on every commit. Used by one commit at a time (<see cref="SqlMessageQueueStore"/> serializes them);
/// a failed commit disposes it and the next one opens a fresh connection.
/// </summary>
internal sealed class SqliteQueueCommitConnection : IDisposable
{
    private readonly Dictionary<(bool Insert, int Rows), sqlite3_stmt> _statements = [];

    private SqliteQueueCommitConnection(SqliteConnection connection) => Connection = connection;

    /// <summary>The open connection (the transaction is begun on it).</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Opens the connection; with <paramref name="fullSync"/> every commit on it is fsynced.</summary>
    public static async Task<SqliteQueueCommitConnection> OpenAsync(IDatabase database, bool fullSync, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await database.OpenAsync(cancellationToken);
        try
        {
            if (fullSync)
            {
                await using var pragma = connection.CreateCommand("PRAGMA synchronous=FULL");
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            return new SqliteQueueCommitConnection(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The prepared statement for <paramref name="rows"/> rows (built by <paramref name="build"/> on first
    /// use). The caller resets it (<see cref="Release"/>) when done.
    /// </summary>
    public sqlite3_stmt Statement(bool insert, int rows, Func<int, string> build)
    {
        if (!_statements.TryGetValue((insert, rows), out var statement))
        {
            var db = Connection.Handle!;
            var rc = raw.sqlite3_prepare_v3(db, build(rows), raw.SQLITE_PREPARE_PERSISTENT, out statement);
            if (rc != raw.SQLITE_OK)
            {
                statement.Dispose();
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            _statements.Add((insert, rows), statement);
        }

        return statement;
    }

    /// <summary>Makes a used statement ready for the next commit and drops its bound values (message bodies).</summary>
    public static void Release(sqlite3_stmt statement)
    {
        // The step's result was already checked; reset repeats a step error, which is not news here.
        _ = raw.sqlite3_reset(statement);
        _ = raw.sqlite3_clear_bindings(statement);
    }

    /// <summary>Finalizes the statements, then closes the connection.</summary>
    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        Connection.Dispose();
    }
}
