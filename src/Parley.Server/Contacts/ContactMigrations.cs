using Parley.Server.Storage;

namespace Parley.Server.Contacts;

/// <summary>Schema of the contact relation: one row per (owner, peer), each side its own state.</summary>
public sealed class ContactMigrations : IMigrationSource
{
    /// <inheritdoc />
    public string Component => "contacts";

    /// <inheritdoc />
    public IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "contacts",
            """
            CREATE TABLE contacts (
                owner_id INTEGER NOT NULL,
                peer_id INTEGER NOT NULL,
                peer_name TEXT NOT NULL,
                state INTEGER NOT NULL,
                note TEXT NULL,
                updated_ms INTEGER NOT NULL,
                PRIMARY KEY (owner_id, peer_id));
            CREATE INDEX contacts_peer ON contacts (peer_id);
            """,
            """
            CREATE TABLE contacts (
                owner_id BIGINT NOT NULL,
                peer_id BIGINT NOT NULL,
                peer_name TEXT NOT NULL,
                state INTEGER NOT NULL,
                note TEXT NULL,
                updated_ms BIGINT NOT NULL,
                PRIMARY KEY (owner_id, peer_id));
            CREATE INDEX contacts_peer ON contacts (peer_id);
            """),
    ];
}
