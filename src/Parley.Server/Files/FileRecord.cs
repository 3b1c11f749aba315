namespace Parley.Server.Files;

/// <summary>
/// What the server records about one blob: who uploaded it, its declared length, how much has been
/// received, and when it expires. Nothing about the file's name, type or key — the server never learns
/// them.
/// </summary>
/// <param name="Id">The blob's random id.</param>
/// <param name="Owner">The uploading account's id (only the owner may append or delete).</param>
/// <param name="Length">Declared total length in bytes (tus Upload-Length).</param>
/// <param name="Offset">Bytes received and durably stored so far (tus Upload-Offset).</param>
/// <param name="CreatedAt">When the upload was created.</param>
/// <param name="ExpiresAt">When the blob (or the unfinished upload) is removed.</param>
public sealed record FileRecord(
    BlobId Id,
    string Owner,
    long Length,
    long Offset,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>True once every declared byte has been received.</summary>
    public bool IsComplete => Offset == Length;
}

/// <summary>
/// Blob metadata storage; one implementation per database (SQLite and PostgreSQL), both held to the
/// same contract tests. Writes that race (two uploads against one quota, two appends at one offset)
/// are decided atomically by the database.
/// </summary>
public interface IFileStore
{
    /// <summary>
    /// Inserts <paramref name="record"/> unless the owner's live blobs (those not expired at
    /// <paramref name="now"/>) plus this one would exceed <paramref name="quotaBytes"/>.
    /// </summary>
    /// <returns>False when the quota refused it; nothing was written.</returns>
    Task<bool> TryCreateAsync(FileRecord record, long quotaBytes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Returns the record, or null when there is none.</summary>
    Task<FileRecord?> GetAsync(BlobId id, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the received offset from <paramref name="expectedOffset"/> to <paramref name="newOffset"/>
    /// and sets the expiry — only if the stored offset still equals <paramref name="expectedOffset"/>.
    /// </summary>
    /// <returns>False when the offset had moved (nothing was changed).</returns>
    Task<bool> TryAdvanceAsync(BlobId id, long expectedOffset, long newOffset, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Ids of records whose expiry is at or before <paramref name="now"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<BlobId>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Ids of every record owned by <paramref name="owner"/> (for account deletion).</summary>
    Task<IReadOnlyList<BlobId>> ListByOwnerAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Sum of the declared lengths of the owner's records not expired at <paramref name="now"/>.</summary>
    Task<long> GetUsageAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the record if it exists; idempotent.</summary>
    Task DeleteAsync(BlobId id, CancellationToken cancellationToken);
}
