using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode (readers never block the writer), foreign keys
/// on, and a busy timeout so concurrent writers queue instead of failing.
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    private const int BusyTimeoutMilliseconds = 10_000;
    private readonly string connectionString;

    /// <summary>Prepares the database file and switches it to WAL mode.</summary>
    public SqliteDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        };
        this.connectionString = builder.ToString();
        using var connection = new SqliteConnection(this.connectionString);
        connection.Open();
        using var wal = connection.CreateCommand("PRAGMA journal_mode=WAL;");
        wal.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public DatabaseKind Kind => DatabaseKind.Sqlite;

    /// <inheritdoc />
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = connection.CreateCommand(
                $"PRAGMA foreign_keys=ON; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=NORMAL;");
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // deferred: false → BEGIN IMMEDIATE: the write lock is taken up front.
        return ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }
}
