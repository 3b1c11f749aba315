namespace Parley.Server.Storage;

/// <summary>The database engines the server can store its data in.</summary>
public enum DatabaseKind
{
    /// <summary>An embedded SQLite file in the data directory (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by one or more nodes.</summary>
    Postgres,
}
