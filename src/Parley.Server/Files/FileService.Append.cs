using System.Buffers;
using Microsoft.Extensions.Logging;
using Parley.IO;

namespace Parley.Server.Files;

/// <summary>
/// The append path of <see cref="FileService"/>: streaming a PATCH body to the partial blob through
/// one pooled buffer, keeping what arrived when the connection breaks, and recording the new offset
/// only once the bytes are durable.
/// </summary>
public sealed partial class FileService
{
    private async Task<FileResult<FileRecord>> AppendLockedAsync(FileRecord record, Stream body, CancellationToken cancellationToken)
    {
        long written = 0;
        Exception? interruption = null;
        bool tooLong = false;
        FileStream target;
        try
        {
            target = _blobs.OpenAppend(record.Id, record.Offset);
        }
        catch (BlobMissingException)
        {
            await RemoveAsync(record.Id, CancellationToken.None);
            return FileResult.Fail<FileRecord>(FileError.Lost);
        }

        await using (target)
        {
            var flusher = new DiskFlusher(target);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
            try
            {
                long room = record.Length - record.Offset;
                while (true)
                {
                    int read = await body.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }

                    if (read > room - written)
                    {
                        tooLong = true;
                        break;
                    }

                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    written += read;
                    flusher.Written(read);
                }
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // Kestrel's body limit (set to the room left) tripped: the body is longer than declared.
                tooLong = true;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                // The connection ended early ("unexpected end of request content"): keep what arrived.
                interruption = e;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                await flusher.DrainAsync();
            }

            if (tooLong)
            {
                return FileResult.Fail<FileRecord>(FileError.BodyTooLong);
            }

            await target.FlushAsync(CancellationToken.None);
            target.Flush(flushToDisk: true);
        }

        FileResult<FileRecord> result = await RecordAppendAsync(record, written);
        if (interruption is not null)
        {
            LogInterrupted(_log, written);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(interruption);
        }

        return result;
    }

    private async Task<FileResult<FileRecord>> RecordAppendAsync(FileRecord record, long written)
    {
        long newOffset = record.Offset + written;
        bool complete = newOffset == record.Length;
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset expires = now + (complete ? _options.BlobTtl : _options.PartialUploadTtl);
        if (complete)
        {
            await _blobs.CommitAsync(record.Id, CancellationToken.None);
        }

        if (!await _files.TryAdvanceAsync(record.Id, record.Offset, newOffset, expires, CancellationToken.None))
        {
            return FileResult.Fail<FileRecord>(FileError.OffsetMismatch);
        }

        if (complete)
        {
            LogCompleted(_log, record.Length);
        }

        return FileResult.Ok(record with { Offset = newOffset, ExpiresAt = expires });
    }

    private async Task<FileResult<FileRecord>> CompleteEmptyAsync(FileRecord record, CancellationToken cancellationToken)
    {
        await using (_blobs.OpenAppend(record.Id, 0))
        {
        }

        return await RecordAppendAsync(record, 0);
    }
}
