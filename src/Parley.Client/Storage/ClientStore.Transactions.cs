using Microsoft.Data.Sqlite;

namespace Parley.Client.Storage;

/// <summary>
/// Transactions: one at a time per store; nested calls join the outer one. Session state and the
/// outbox frame it produced commit together, so a crash never leaves one without the other.
/// </summary>
public sealed partial class ClientStore
{
    private SqliteTransaction? _transaction;

    /// <summary>Runs <paramref name="action"/> in a transaction (joining the current one if any).</summary>
    /// <param name="action">The work; an exception rolls everything back.</param>
    public void InTransaction(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_transaction is not null)
        {
            action();
            return;
        }

        _transaction = _db.BeginTransaction(deferred: false);
        try
        {
            action();
            _transaction.Commit();
        }
        catch
        {
            _transaction.Rollback();
            throw;
        }
        finally
        {
            _transaction.Dispose();
            _transaction = null;
        }
    }
}
