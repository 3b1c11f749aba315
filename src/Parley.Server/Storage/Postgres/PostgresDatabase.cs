using System.Data.Common;
using Npgsql;

namespace Parley.Server.Storage.Postgres;

/// <summary>
/// PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>. Several server nodes may share the
/// database; stores use row locks (<c>FOR UPDATE SKIP LOCKED</c>) where work must not be done twice.
/// </summary>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// Statements each pooled connection keeps prepared when the connection string does not choose
    /// (<c>Max Auto Prepare</c>): the relay's inserts, deletes and reads, run thousands of times a second,
    /// then skip PostgreSQL's parse and plan on every execution.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    private readonly NpgsqlDataSource dataSource;

    /// <summary>Creates the pooled data source; no connection is opened yet.</summary>
    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>How many statements each connection keeps prepared (from the connection string or the default).</summary>
    public int MaxAutoPrepare => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare;

    /// <inheritdoc />
    public DatabaseKind Kind => DatabaseKind.Postgres;

    /// <inheritdoc />
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => dataSource.Dispose();
}
