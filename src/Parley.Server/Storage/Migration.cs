namespace Parley.Server.Storage;

/// <summary>
/// One schema change of one component, with its SQL for each engine. Versions are ordered per
/// component and never edited once released: a change to a table is a new migration.
/// </summary>
/// <param name="Version">Position in the component's sequence, starting at 1.</param>
/// <param name="Name">A short description recorded in <c>schema_migrations</c>.</param>
/// <param name="Sqlite">SQL statements for SQLite (may contain several, separated by semicolons).</param>
/// <param name="Postgres">SQL statements for PostgreSQL.</param>
public sealed record Migration(int Version, string Name, string Sqlite, string Postgres)
{
    /// <summary>The SQL for the given engine.</summary>
    public string SqlFor(DatabaseKind kind) => kind == DatabaseKind.Postgres ? Postgres : Sqlite;
}

/// <summary>
/// A feature's schema: registered in DI (<c>services.AddSingleton&lt;IMigrationSource, …&gt;()</c>)
/// and applied at start-up by <see cref="MigrationRunner"/> in registration order.
/// </summary>
public interface IMigrationSource
{
    /// <summary>A stable component name (e.g. <c>accounts</c>, <c>relay</c>), the key in <c>schema_migrations</c>.</summary>
    string Component { get; }

    /// <summary>The component's migrations in ascending version order.</summary>
    IReadOnlyList<Migration> Migrations { get; }
}
