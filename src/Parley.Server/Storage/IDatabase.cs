using System.Data.Common;

namespace Parley.Server.Storage;

/// <summary>
/// The storage infrastructure every feature's store builds on: which engine is in use and a way to
/// open a pooled connection to it. Stores pick per-dialect SQL with <see cref="Kind"/>; everything
/// else (parameters as <c>@name</c>, <c>ON CONFLICT</c>, <c>RETURNING</c>) is common to both engines.
/// </summary>
public interface IDatabase
{
    /// <summary>The engine behind this database.</summary>
    DatabaseKind Kind { get; }

    /// <summary>Opens a connection from the pool; the caller disposes it.</summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins a transaction that will write. On SQLite this takes the write lock at once
    /// (<c>BEGIN IMMEDIATE</c>) so that two writers never deadlock upgrading a read lock.
    /// </summary>
    ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);
}
