using Parley.Server.Storage;

namespace Parley.Server.Files;

/// <summary>
/// Schema of the file feature: one row per blob with its owner, declared length, received offset and
/// expiry (times in Unix milliseconds). No column can hold a name, type or key.
/// </summary>
public sealed class FilesMigrations : IMigrationSource
{
    private const string CreateV1 =
        "CREATE TABLE files (" +
        "id TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, length BIGINT NOT NULL, " +
        "received BIGINT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);" +
        "CREATE INDEX files_owner ON files (owner);" +
        "CREATE INDEX files_expires ON files (expires_at);";

    /// <inheritdoc />
    public string Component => "files";

    /// <inheritdoc />
    public IReadOnlyList<Migration> Migrations { get; } =
    [
        new Migration(1, "blob metadata", CreateV1, CreateV1),
    ];
}
