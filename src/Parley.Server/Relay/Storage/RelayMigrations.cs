using Parley.Server.Storage;

namespace Parley.Server.Relay.Storage;

/// <summary>
/// Schema of the relay's queue. The sequence is assigned by the database (SQLite AUTOINCREMENT, a
/// PostgreSQL sequence), never by a process, so several nodes writing one PostgreSQL queue never
/// collide and a number is never reused; a recipient's drain is an index range scan in acceptance
/// order; (sender, id) is unique, which makes retries idempotent.
/// </summary>
public sealed class RelayMigrations : IMigrationSource
{
    /// <inheritdoc />
    public string Component => "relay";

    /// <inheritdoc />
    public IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "message queue",
            """
            CREATE TABLE relay_queue (
                seq INTEGER PRIMARY KEY,
                recipient_id INTEGER NOT NULL,
                sender_id INTEGER NOT NULL,
                sender_name TEXT NOT NULL,
                message_id BLOB NOT NULL,
                kind INTEGER NOT NULL,
                subtype INTEGER NOT NULL,
                body BLOB NOT NULL,
                created_ms INTEGER NOT NULL);
            CREATE UNIQUE INDEX relay_queue_sender_message ON relay_queue (sender_id, message_id);
            CREATE INDEX relay_queue_recipient_seq ON relay_queue (recipient_id, seq);
            """,
            """
            CREATE TABLE relay_queue (
                seq BIGINT PRIMARY KEY,
                recipient_id BIGINT NOT NULL,
                sender_id BIGINT NOT NULL,
                sender_name TEXT NOT NULL,
                message_id BYTEA NOT NULL,
                kind INTEGER NOT NULL,
                subtype INTEGER NOT NULL,
                body BYTEA NOT NULL,
                created_ms BIGINT NOT NULL);
            CREATE UNIQUE INDEX relay_queue_sender_message ON relay_queue (sender_id, message_id);
            CREATE INDEX relay_queue_recipient_seq ON relay_queue (recipient_id, seq);
            """),
        new(2, "database-assigned sequence",
            """
            CREATE TABLE relay_queue_v2 (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                recipient_id INTEGER NOT NULL,
                sender_id INTEGER NOT NULL,
                sender_name TEXT NOT NULL,
                message_id BLOB NOT NULL,
                kind INTEGER NOT NULL,
                subtype INTEGER NOT NULL,
                body BLOB NOT NULL,
                created_ms INTEGER NOT NULL);
            INSERT INTO relay_queue_v2 SELECT seq, recipient_id, sender_id, sender_name, message_id, kind, subtype, body, created_ms FROM relay_queue;
            DROP TABLE relay_queue;
            ALTER TABLE relay_queue_v2 RENAME TO relay_queue;
            CREATE UNIQUE INDEX relay_queue_sender_message ON relay_queue (sender_id, message_id);
            CREATE INDEX relay_queue_recipient_seq ON relay_queue (recipient_id, seq);
            """,
            """
            CREATE SEQUENCE relay_queue_seq AS BIGINT OWNED BY relay_queue.seq;
            SELECT setval('relay_queue_seq', COALESCE((SELECT MAX(seq) FROM relay_queue), 0) + 1, false);
            ALTER TABLE relay_queue ALTER COLUMN seq SET DEFAULT nextval('relay_queue_seq');
            """),
    ];
}
