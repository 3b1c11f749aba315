using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Server.Files;

/// <summary>
/// The file feature's rules between the HTTP endpoints and the stores: size limit, quota, ownership,
/// offsets, expiry. Bodies are streamed to the blob store through one pooled buffer, so memory per
/// transfer is bounded whatever the size.
/// </summary>
public sealed partial class FileService
{
    /// <summary>Size of the pooled copy buffer used per append.</summary>
    public const int CopyBufferBytes = 128 * 1024;

    private readonly IFileStore _files;
    private readonly IBlobStore _blobs;
    private readonly FilesOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FileService> _log;
    private readonly ConcurrentDictionary<BlobId, byte> _appending = new();

    /// <summary>Creates the service.</summary>
    public FileService(IFileStore files, IBlobStore blobs, IOptions<FilesOptions> options, TimeProvider time, ILogger<FileService> log)
    {
        _files = files;
        _blobs = blobs;
        _options = options.Value;
        _time = time;
        _log = log;
    }

    /// <summary>The options in force.</summary>
    public FilesOptions Options => _options;

    /// <summary>Creates an empty upload of <paramref name="length"/> bytes owned by <paramref name="owner"/>.</summary>
    public async Task<FileResult<FileRecord>> CreateAsync(string owner, long length, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > _options.MaxBlobBytes)
        {
            return FileResult.Fail<FileRecord>(FileError.TooLarge);
        }

        DateTimeOffset now = _time.GetUtcNow();
        var record = new FileRecord(BlobId.NewId(), owner, length, 0, now, now + _options.PartialUploadTtl);
        if (!await _files.TryCreateAsync(record, _options.QuotaBytesPerAccount, now, cancellationToken))
        {
            return FileResult.Fail<FileRecord>(FileError.QuotaExceeded);
        }

        if (length == 0)
        {
            return await CompleteEmptyAsync(record, cancellationToken);
        }

        LogCreated(_log, length);
        return FileResult.Ok(record);
    }

    /// <summary>
    /// Returns the record for HEAD: the owner sees unfinished uploads, anyone authenticated who holds
    /// the id sees complete ones.
    /// </summary>
    public async Task<FileResult<FileRecord>> GetStatusAsync(string caller, BlobId id, CancellationToken cancellationToken)
    {
        FileRecord? record = await GetLiveAsync(id, cancellationToken);
        if (record is null || (!record.IsComplete && record.Owner != caller))
        {
            return FileResult.Fail<FileRecord>(FileError.NotFound);
        }

        return FileResult.Ok(record);
    }

    /// <summary>
    /// Appends <paramref name="body"/> at <paramref name="offset"/>. Bytes received before an
    /// interruption are kept and recorded, so the client resumes from the new offset.
    /// </summary>
    /// <returns>The record after the append.</returns>
    public async Task<FileResult<FileRecord>> AppendAsync(string caller, BlobId id, long offset, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        FileRecord? record = await GetLiveAsync(id, cancellationToken);
        FileError refusal = CheckAppend(record, caller, offset);
        if (refusal != FileError.None)
        {
            return FileResult.Fail<FileRecord>(refusal);
        }

        if (!_appending.TryAdd(id, 0))
        {
            return FileResult.Fail<FileRecord>(FileError.Busy);
        }

        try
        {
            return await AppendLockedAsync(record!, body, cancellationToken);
        }
        finally
        {
            _appending.TryRemove(id, out _);
        }
    }

    /// <summary>Opens a complete, unexpired blob for download (any authenticated holder of the id).</summary>
    public async Task<FileResult<Stream>> OpenDownloadAsync(BlobId id, CancellationToken cancellationToken)
    {
        FileRecord? record = await GetLiveAsync(id, cancellationToken);
        if (record is null || !record.IsComplete)
        {
            return FileResult.Fail<Stream>(FileError.NotFound);
        }

        Stream? stream = await _blobs.OpenReadAsync(id, cancellationToken);
        return stream is null ? FileResult.Fail<Stream>(FileError.NotFound) : FileResult.Ok(stream);
    }

    /// <summary>Deletes a blob (tus termination); only its owner may.</summary>
    public async Task<FileError> DeleteAsync(string caller, BlobId id, CancellationToken cancellationToken)
    {
        FileRecord? record = await _files.GetAsync(id, cancellationToken);
        if (record is null)
        {
            return FileError.NotFound;
        }

        if (record.Owner != caller)
        {
            return FileError.NotOwner;
        }

        await RemoveAsync(id, cancellationToken);
        return FileError.None;
    }

    /// <summary>Removes every blob of an account (called when the account is deleted).</summary>
    public async Task<int> DeleteAccountFilesAsync(string owner, CancellationToken cancellationToken)
    {
        IReadOnlyList<BlobId> ids = await _files.ListByOwnerAsync(owner, cancellationToken);
        foreach (BlobId id in ids)
        {
            await RemoveAsync(id, cancellationToken);
        }

        return ids.Count;
    }

    /// <summary>Removes every expired blob and abandoned upload; returns how many were removed.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        const int batch = 500;
        int removed = 0;
        while (true)
        {
            IReadOnlyList<BlobId> ids = await _files.ListExpiredAsync(_time.GetUtcNow(), batch, cancellationToken);
            int removedNow = 0;
            foreach (BlobId id in ids)
            {
                if (_appending.ContainsKey(id))
                {
                    continue;
                }

                try
                {
                    await RemoveAsync(id, cancellationToken);
                    removedNow++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // One undeletable blob must not stop the others; it is retried next period.
                    LogRemoveFailed(_log, e);
                }
            }

            removed += removedNow;
            if (ids.Count < batch || removedNow == 0)
            {
                break;
            }
        }

        if (removed > 0)
        {
            LogExpiredRemoved(_log, removed);
        }

        return removed;
    }

    private static FileError CheckAppend(FileRecord? record, string caller, long offset)
    {
        if (record is null)
        {
            return FileError.NotFound;
        }

        if (record.Owner != caller)
        {
            return FileError.NotOwner;
        }

        if (record.IsComplete)
        {
            return FileError.AlreadyComplete;
        }

        return record.Offset == offset ? FileError.None : FileError.OffsetMismatch;
    }

    private async Task<FileRecord?> GetLiveAsync(BlobId id, CancellationToken cancellationToken)
    {
        FileRecord? record = await _files.GetAsync(id, cancellationToken);
        return record is null || record.ExpiresAt <= _time.GetUtcNow() ? null : record;
    }

    private async Task RemoveAsync(BlobId id, CancellationToken cancellationToken)
    {
        await _blobs.DeleteAsync(id, cancellationToken);
        await _files.DeleteAsync(id, cancellationToken);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Upload created, declared length {Length}")]
    private static partial void LogCreated(ILogger logger, long length);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Upload completed, length {Length}")]
    private static partial void LogCompleted(ILogger logger, long length);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Upload interrupted after {Written} bytes; kept for resume")]
    private static partial void LogInterrupted(ILogger logger, long written);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "An expired blob could not be deleted; retrying next period")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Removed {Count} expired blobs or abandoned uploads")]
    private static partial void LogExpiredRemoved(ILogger logger, int count);
}
