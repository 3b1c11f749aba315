using Microsoft.Data.Sqlite;
using Parley.Client.Errors;

namespace Parley.Client.Storage;

/// <summary>
/// A profile's local store: SQLite in which every sensitive value — message bodies, keys, session
/// state, contacts and their identity keys, the server token — is sealed by a
/// <see cref="ColumnSealer"/> under the profile's <see cref="StoreKey"/>. What stays in the clear is
/// structure only: random message ids, delivery states, keyed lookup tags, row counts.
/// </summary>
public sealed partial class ClientStore : IDisposable
{
    private const int SchemaVersion = 1;
    private const string CanaryLocation = "meta/canary";
    private static readonly byte[] Canary = "parley-store-canary-v1"u8.ToArray();

    private readonly SqliteConnection _db;
    private readonly ColumnSealer _sealer;

    private ClientStore(SqliteConnection db, ColumnSealer sealer)
    {
        _db = db;
        _sealer = sealer;
    }

    /// <summary>Creates a new, empty store at <paramref name="path"/> sealed under <paramref name="key"/>.</summary>
    /// <param name="path">The database file; must not exist.</param>
    /// <param name="key">The store key (the store keeps its own sub-keys; the caller still owns the key).</param>
    /// <returns>The open store.</returns>
    public static ClientStore Create(string path, StoreKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(key);
        if (File.Exists(path))
        {
            throw new ParleyClientException(ClientErrorKind.ProfileExists);
        }

        var store = OpenConnection(path, key);
        store.CreateSchema();
        return store;
    }

    /// <summary>Opens an existing store and checks that <paramref name="key"/> is its key.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="key">The store key.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ParleyClientException">With <see cref="ClientErrorKind.StoreCorrupt"/> if the key does not match or the file is damaged.</exception>
    public static ClientStore Open(string path, StoreKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(key);
        if (!File.Exists(path))
        {
            throw new ParleyClientException(ClientErrorKind.NotLoggedIn);
        }

        var store = OpenConnection(path, key);
        try
        {
            store.CheckCanary();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _db.Dispose();
        _sealer.Dispose();
    }

    private static ClientStore OpenConnection(string path, StoreKey key)
    {
        Profiles.FileModes.EnsurePrivateFile(path); // SQLite would create it 0644 (umask); its -wal/-shm inherit this mode
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        var db = new SqliteConnection(builder.ToString());
        try
        {
            db.Open();
            Execute(db, "PRAGMA busy_timeout = 10000; PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            return new ClientStore(db, new ColumnSealer(key));
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt, e);
        }
    }

    private void CreateSchema()
    {
        using var tx = _db.BeginTransaction();
        Execute(_db, """
            CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE blobs (ns TEXT NOT NULL, tag BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY (ns, tag));
            CREATE TABLE contacts (tag BLOB PRIMARY KEY, record BLOB NOT NULL);
            CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, peer_tag BLOB NOT NULL,
                direction INTEGER NOT NULL, state INTEGER NOT NULL, shown INTEGER NOT NULL, body BLOB NOT NULL);
            CREATE INDEX messages_peer ON messages (peer_tag, seq);
            CREATE TABLE outbox (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, payload BLOB NOT NULL);
            """, tx);
        using (var cmd = Command("INSERT INTO meta (name, value) VALUES ('schema', $v), ('canary', $c)", tx))
        {
            cmd.Parameters.AddWithValue("$v", BitConverter.GetBytes(SchemaVersion));
            cmd.Parameters.AddWithValue("$c", _sealer.Seal(Canary, CanaryLocation));
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    }

    private void CheckCanary()
    {
        try
        {
            using var cmd = Command("SELECT value FROM meta WHERE name = 'canary'");
            var sealedCanary = cmd.ExecuteScalar() as byte[] ?? throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
            var opened = _sealer.Open(sealedCanary, CanaryLocation);
            if (!opened.AsSpan().SequenceEqual(Canary))
            {
                throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
            }
        }
        catch (SqliteException e)
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt, e);
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx ?? _transaction;
        return cmd;
    }

    private static void Execute(SqliteConnection db, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }
}
