using System.Buffers;
using System.Security.Cryptography;
using Parley.Crypto.Attachments;
using Parley.IO;

namespace Parley.Client.Transfers;

/// <summary>
/// Downloads a blob named by a <see cref="FilePointer"/>, decrypting and verifying every chunk and
/// the whole-ciphertext digest while it streams (constant memory), resuming with Range requests after
/// a broken connection. Plaintext goes to a hidden temporary file in the target directory that is
/// renamed to the sanitized name only after every check passed — never over an existing file (a
/// suffix is added). A corrupt or truncated blob raises <see cref="TransferError.Corrupt"/> and leaves
/// nothing behind.
/// </summary>
public sealed class FileDownloader
{
    /// <summary>Prefix of the temporary files written while downloading.</summary>
    public const string TemporaryPrefix = ".parley-download-";

    /// <summary>Age after which a temporary file left by a killed download is removed from the target directory.</summary>
    public static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromDays(1);

    /// <summary>Renames tried with a numeric suffix before giving up on a free name.</summary>
    public const int MaxNameAttempts = 1000;

    private const int CopyBufferBytes = 256 * 1024;
    private readonly TusClient _tus;
    private readonly TimeProvider _time;

    /// <summary>Creates a downloader over the SDK's pinned <paramref name="http"/> client.</summary>
    /// <param name="http">Bound to the server.</param>
    /// <param name="bearerToken">The session token, or null when <paramref name="http"/> adds it.</param>
    /// <param name="time">The clock for rates and retry delays.</param>
    public FileDownloader(HttpClient http, string? bearerToken = null, TimeProvider? time = null)
    {
        _tus = new TusClient(http, bearerToken);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Downloads, verifies and saves the file; returns the full path it was saved under.</summary>
    public async Task<string> DownloadAsync(FilePointer file, string directory, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string target = Path.GetFullPath(directory);
        Directory.CreateDirectory(target);
        RemoveStaleTemporaries(target, _time.GetUtcNow());
        string temporary = Path.Combine(target, TemporaryPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        try
        {
            await DecryptToAsync(file, temporary, progress, cancellationToken);
            return Commit(temporary, target, FileNameSanitizer.Sanitize(file.Name));
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private async Task DecryptToAsync(FilePointer file, string temporary, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var meter = new ProgressMeter(TransferDirection.Download, file.CiphertextLength, progress, _time);
        int failures = 0;
        await using var ciphertext = new ResumableDownloadStream(_tus, file.BlobId, file.CiphertextLength, async (e, ct) =>
        {
            failures++;
            if (failures >= FileUploader.MaxAttemptsWithoutProgress)
            {
                throw new TransferException(TransferError.Interrupted, inner: e);
            }

            await Task.Delay(FileUploader.FirstRetryDelay * (1 << (failures - 1)), _time, ct);
        });
        ciphertext.Progressed += position =>
        {
            failures = 0;
            meter.Update(Math.Min(position, file.CiphertextLength));
        };
        using AttachmentKey key = file.CreateKey();
        await using var plaintext = new AttachmentDecryptingStream(ciphertext, key, file.CiphertextSha256.ToArray(), leaveOpen: true);
        await using var output = OpenTemporary(temporary);
        var flusher = new DiskFlusher(output);
        try
        {
            await CopyAsync(plaintext, output, flusher, cancellationToken);
        }
        catch (AttachmentCorruptException e)
        {
            throw new TransferException(TransferError.Corrupt, corruptReason: e.Error, inner: e);
        }
        finally
        {
            await flusher.DrainAsync();
        }

        if (plaintext.PlaintextLength != file.Size)
        {
            throw new TransferException(TransferError.Corrupt, corruptReason: AttachmentError.DigestMismatch);
        }

        await output.FlushAsync(cancellationToken);
        output.Flush(flushToDisk: true);
    }

    private static async Task CopyAsync(Stream source, Stream destination, DiskFlusher flusher, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                flusher.Written(read);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, CopyBufferBytes));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FileStream OpenTemporary(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    /// <summary>
    /// Deletes temporary files of downloads that a killed process left behind (older than
    /// <see cref="StaleTemporaryAge"/>, so a download running in parallel is never touched).
    /// </summary>
    internal static int RemoveStaleTemporaries(string directory, DateTimeOffset now)
    {
        int removed = 0;
        foreach (string path in Directory.EnumerateFiles(directory, TemporaryPrefix + "*"))
        {
            var info = new FileInfo(path);
            if (info.Name.Length == TemporaryPrefix.Length + 32 && now - info.LastWriteTimeUtc > StaleTemporaryAge)
            {
                info.Delete();
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Moves the verified temporary file to the first free name; never overwrites.</summary>
    private static string Commit(string temporary, string directory, string name)
    {
        for (int attempt = 0; attempt <= MaxNameAttempts; attempt++)
        {
            string candidate = attempt == 0 ? name : FileNameSanitizer.WithSuffix(name, attempt);
            string destination = Path.Combine(directory, candidate);
            if (Path.GetDirectoryName(destination) != directory)
            {
                throw new InvalidOperationException("A sanitized name left the target directory.");
            }

            if (File.Exists(destination) || Directory.Exists(destination))
            {
                continue;
            }

            try
            {
                File.Move(temporary, destination, overwrite: false);
                return destination;
            }
            catch (IOException) when (File.Exists(destination) || Directory.Exists(destination))
            {
                // Lost a race with another writer of the same name: try the next suffix.
            }
        }

        throw new IOException("No free file name was found in the target directory.");
    }
}
