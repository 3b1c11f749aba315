namespace Parley.Server.Files;

/// <summary>
/// Where blob bytes live. The store knows ids and bytes only — never owners, names, types or keys (it
/// holds ciphertext the server cannot read). A blob is first written as a partial object that can be
/// appended to, then committed; only committed blobs can be read. Partial objects always live on the
/// local disk of the node that receives the upload (<see cref="OpenAppend"/> returns a file); where
/// committed blobs live is the implementation's business: the same directory
/// (<see cref="LocalBlobStore"/>) or an S3 bucket (<see cref="S3.S3BlobStore"/>).
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Opens the partial object of <paramref name="id"/> for appending at <paramref name="offset"/>,
    /// creating it when <paramref name="offset"/> is 0. Bytes past <paramref name="offset"/> left by an
    /// interrupted write that was never recorded are discarded, so the object always matches the
    /// recorded offset.
    /// </summary>
    /// <exception cref="BlobMissingException">The partial object is gone or shorter than the offset.</exception>
    FileStream OpenAppend(BlobId id, long offset);

    /// <summary>
    /// Turns the partial object into the readable blob, atomically for readers: they see either no blob
    /// or all of it. The partial object is gone afterwards.
    /// </summary>
    /// <exception cref="BlobMissingException">There is no partial object to commit.</exception>
    Task CommitAsync(BlobId id, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the committed blob for reading, or returns null when there is none. The stream is seekable
    /// and knows its length, so HTTP Range requests read only the bytes asked for.
    /// </summary>
    Task<Stream?> OpenReadAsync(BlobId id, CancellationToken cancellationToken);

    /// <summary>Removes the partial object and the blob if they exist; idempotent.</summary>
    Task DeleteAsync(BlobId id, CancellationToken cancellationToken);
}

/// <summary>The bytes of a blob the metadata says exists are missing or short.</summary>
public sealed class BlobMissingException : Exception
{
    /// <summary>Creates the exception with a fixed message (no ids or paths).</summary>
    public BlobMissingException()
        : base("The stored blob is missing or incomplete.")
    {
    }

    /// <summary>Creates the exception with a fixed message and the underlying cause.</summary>
    public BlobMissingException(Exception inner)
        : base("The stored blob is missing or incomplete.", inner)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BlobMissingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public BlobMissingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
