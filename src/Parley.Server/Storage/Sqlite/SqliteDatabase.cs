using System.Data.Common;
using Microsoft.Data.Sqlite;
using Parley.Server.Hosting;

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
        RestrictFiles(builder);
        using var connection = new SqliteConnection(this.connectionString);
        connection.Open();
        using var wal = connection.CreateCommand("PRAGMA journal_mode=WAL;");
        wal.ExecuteNonQuery();
    }

    /// <summary>
    /// The database holds every account's SRP verifier and the relay's queue: create it (and narrow
    /// an existing one and its -wal/-shm) to mode 0600 before SQLite opens it, whatever the umask.
    /// </summary>
    private static void RestrictFiles(SqliteConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source) || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate || File.Exists(source))
        {
            ServerDataDirectory.EnsurePrivateFile(source);
        }
        foreach (var suffix in (string[])["-wal", "-shm", "-journal"])
        {
            if (File.Exists(source + suffix))
            {
                ServerDataDirectory.EnsurePrivateFile(source + suffix);
            }
        }
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
