namespace Parley.Server.Files;

/// <summary>
/// The default blob store: one file per blob in a local directory, sharded by the first two hex
/// characters of the id. A blob is written as <c>ID.part</c> and renamed to <c>ID</c> when complete,
/// so a reader never sees a half-written blob. Files are created with mode 0600 on Unix.
/// </summary>
public sealed class LocalBlobStore : IBlobStore
{
    /// <summary>Suffix of objects still being uploaded.</summary>
    public const string PartialSuffix = ".part";

    /// <summary>Buffer size of the file streams; bounds memory per transfer.</summary>
    public const int StreamBufferBytes = 64 * 1024;

    private readonly string _root;

    /// <summary>Creates the store over <paramref name="root"/>, creating the directory if needed.</summary>
    public LocalBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        CreatePrivateDirectory(_root);
    }

    /// <summary>The directory holding the blobs.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public FileStream OpenAppend(BlobId id, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        string path = PartialPath(id);
        if (offset == 0)
        {
            CreatePrivateDirectory(Path.GetDirectoryName(path)!);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, WriteOptions(offset == 0 ? FileMode.OpenOrCreate : FileMode.Open));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobMissingException(e);
        }

        if (stream.Length < offset)
        {
            stream.Dispose();
            throw new BlobMissingException();
        }

        stream.SetLength(offset);
        stream.Position = offset;
        return stream;
    }

    /// <inheritdoc />
    public Task CommitAsync(BlobId id, CancellationToken cancellationToken)
    {
        try
        {
            File.Move(PartialPath(id), FinalPath(id), overwrite: false);
        }
        catch (FileNotFoundException e)
        {
            throw new BlobMissingException(e);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(BlobId id, CancellationToken cancellationToken) => Task.FromResult(OpenRead(id));

    /// <summary>The committed blob's file, or null when there is none.</summary>
    internal Stream? OpenRead(BlobId id)
    {
        try
        {
            return new FileStream(FinalPath(id), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                BufferSize = StreamBufferBytes,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(BlobId id, CancellationToken cancellationToken)
    {
        DeletePartial(id);
        try
        {
            File.Delete(FinalPath(id));
        }
        catch (DirectoryNotFoundException)
        {
            // No byte of this blob was ever written (its shard directory does not exist): nothing to delete.
        }

        return Task.CompletedTask;
    }

    /// <summary>Removes the partial object only (after an S3 upload, or when an upload is dropped).</summary>
    internal void DeletePartial(BlobId id)
    {
        try
        {
            File.Delete(PartialPath(id));
        }
        catch (DirectoryNotFoundException)
        {
            // No byte of this blob was ever written (its shard directory does not exist): nothing to delete.
        }
    }

    /// <summary>Path of the committed blob (the id is validated hex, so it cannot leave the root).</summary>
    internal string FinalPath(BlobId id) => Path.Combine(_root, id.Value[..2], id.Value);

    /// <summary>Path of the partial object.</summary>
    internal string PartialPath(BlobId id) => FinalPath(id) + PartialSuffix;

    private static FileStreamOptions WriteOptions(FileMode mode)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = StreamBufferBytes,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        };
        if (mode != FileMode.Open && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
