namespace Parley.Server.Files;

/// <summary>
/// Where blob bytes live. The store knows ids and bytes only — never owners, names, types or keys (it
/// holds ciphertext the server cannot read). A blob is first written as a partial object that can be
/// appended to, then committed atomically; only committed blobs can be read.
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
    Stream OpenAppend(BlobId id, long offset);

    /// <summary>Atomically turns the partial object into the readable blob.</summary>
    /// <exception cref="BlobMissingException">There is no partial object to commit.</exception>
    void Commit(BlobId id);

    /// <summary>Opens the committed blob for reading (seekable), or returns null when there is none.</summary>
    Stream? OpenRead(BlobId id);

    /// <summary>Removes the partial object and the blob if they exist; idempotent.</summary>
    void Delete(BlobId id);
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
