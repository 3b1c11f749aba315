using System.Buffers;
using System.Net;
using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;

namespace Parley.Client.Transfers;

/// <summary>
/// Encrypts a file while uploading it (constant memory, any size up to the server's limit) with the
/// attachment cipher and a fresh key, resuming from the server's offset after a failed request, and
/// returns the <see cref="FilePointer"/> to send inside an encrypted message.
/// </summary>
public sealed class FileUploader
{
    /// <summary>Consecutive failed attempts without progress before giving up with <see cref="TransferError.Interrupted"/>.</summary>
    public const int MaxAttemptsWithoutProgress = 5;

    /// <summary>
    /// Most bytes sent in one PATCH. Bounded requests finish well inside an HTTP timeout and bound
    /// what a dropped connection can cost; the server records each one durably.
    /// </summary>
    public const long MaxPatchBytes = 64L * 1024 * 1024;

    /// <summary>First retry delay; doubled after each consecutive failure.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    private const string DefaultContentType = "application/octet-stream";
    private readonly TusClient _tus;
    private readonly TimeProvider _time;

    /// <summary>Creates an uploader over the SDK's pinned <paramref name="http"/> client.</summary>
    /// <param name="http">Bound to the server.</param>
    /// <param name="bearerToken">The session token, or null when <paramref name="http"/> adds it.</param>
    /// <param name="time">The clock for rates and retry delays.</param>
    public FileUploader(HttpClient http, string? bearerToken = null, TimeProvider? time = null)
    {
        _tus = new TusClient(http, bearerToken);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates the upload and sends the whole file.</summary>
    public async Task<FilePointer> UploadFileAsync(string path, IProgress<TransferProgress>? progress, CancellationToken cancellationToken,
        string? contentType = null, AeadAlgorithm algorithm = AeadAlgorithm.ChaCha20Poly1305, int chunkSize = AttachmentFormat.DefaultChunkSize)
    {
        using UploadHandle handle = await CreateAsync(path, cancellationToken, contentType, algorithm, chunkSize);
        return await SendAsync(handle, progress, cancellationToken);
    }

    /// <summary>Generates the file key and creates the upload on the server (nothing is sent yet).</summary>
    public async Task<UploadHandle> CreateAsync(string path, CancellationToken cancellationToken,
        string? contentType = null, AeadAlgorithm algorithm = AeadAlgorithm.ChaCha20Poly1305, int chunkSize = AttachmentFormat.DefaultChunkSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException("The file to send does not exist.", path);
        }

        long ciphertextLength = AttachmentFormat.CiphertextLength(info.Length, chunkSize);
        string id = await _tus.CreateAsync(ciphertextLength, cancellationToken);
        return new UploadHandle(id, AttachmentKey.Generate(), info.FullName, info.Length, info.LastWriteTimeUtc,
            info.Name, contentType ?? DefaultContentType, algorithm, chunkSize);
    }

    /// <summary>
    /// Sends what the server does not hold yet (asks it for its offset first, so this also resumes an
    /// upload interrupted earlier, even by another process holding the same handle).
    /// </summary>
    public async Task<FilePointer> SendAsync(UploadHandle handle, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        long total = handle.CiphertextLength;
        var meter = new ProgressMeter(TransferDirection.Upload, total, progress, _time);
        long offset = await GetOffsetWithRetryAsync(handle.BlobId, cancellationToken);
        int failures = 0;
        while (true)
        {
            CheckUnchanged(handle);
            meter.Restart(offset);
            using var plaintext = new FileStream(handle.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            using var ciphertext = new AttachmentEncryptingStream(plaintext, handle.Key, handle.Algorithm, handle.ChunkSize);
            await SkipAsync(ciphertext, offset, cancellationToken);
            if (offset < total)
            {
                try
                {
                    while (offset < total)
                    {
                        long from = offset;
                        using var content = new UploadContent(ciphertext, Math.Min(MaxPatchBytes, total - from), sent => meter.Update(from + sent));
                        offset = await _tus.PatchAsync(handle.BlobId, from, content, cancellationToken);
                        failures = 0;
                        if (offset != from + content.Headers.ContentLength)
                        {
                            // The server holds a different amount than sent: re-synchronise from its offset.
                            break;
                        }
                    }
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    long before = offset;
                    failures = await BackOffAsync(failures, e, cancellationToken);
                    offset = await GetOffsetWithRetryAsync(handle.BlobId, cancellationToken);
                    failures = offset > before ? 0 : failures;
                    continue;
                }
            }

            if (offset > total)
            {
                throw new TransferException(TransferError.ProtocolViolation);
            }

            if (offset == total)
            {
                meter.Update(total);
                return Finish(handle, ciphertext);
            }
        }
    }

    private static FilePointer Finish(UploadHandle handle, AttachmentEncryptingStream ciphertext)
    {
        // One more read reaches the end of the encrypting stream, which finalises its digest.
        if (ciphertext.Read(new byte[1]) != 0)
        {
            throw new IOException("The file changed while it was being uploaded.");
        }

        byte[] digest = ciphertext.GetCiphertextSha256();
        Span<byte> key = stackalloc byte[AttachmentKey.Length];
        try
        {
            handle.Key.CopyTo(key);
            return new FilePointer(handle.BlobId, key, handle.PlaintextSize, digest, handle.ChunkSize, (int)handle.Algorithm, handle.Name, handle.ContentType);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void CheckUnchanged(UploadHandle handle)
    {
        var info = new FileInfo(handle.Path);
        if (!info.Exists || info.Length != handle.PlaintextSize || info.LastWriteTimeUtc != handle.LastWriteUtc)
        {
            throw new IOException("The file changed while it was being uploaded; send it again.");
        }
    }

    private static async Task SkipAsync(Stream ciphertext, long count, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(UploadContent.BufferBytes);
        try
        {
            while (count > 0)
            {
                int read = await ciphertext.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
                if (read == 0)
                {
                    throw new TransferException(TransferError.ProtocolViolation);
                }

                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<long> GetOffsetWithRetryAsync(string id, CancellationToken cancellationToken)
    {
        int failures = 0;
        while (true)
        {
            try
            {
                return await _tus.GetOffsetAsync(id, cancellationToken);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                failures = await BackOffAsync(failures, e, cancellationToken);
            }
        }
    }

    private async Task<int> BackOffAsync(int failures, Exception cause, CancellationToken cancellationToken)
    {
        failures++;
        if (failures >= MaxAttemptsWithoutProgress)
        {
            throw new TransferException(TransferError.Interrupted, inner: cause);
        }

        await Task.Delay(FirstRetryDelay * (1 << (failures - 1)), _time, cancellationToken);
        return failures;
    }

    /// <summary>Failures worth retrying: network errors, timeouts, server errors, a busy or moved offset.</summary>
    internal static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException => e is not FileNotFoundException,
        TransferException { StatusCode: >= 500 } => true,
        TransferException { StatusCode: (int)HttpStatusCode.Conflict or (int)HttpStatusCode.Locked } => true,
        _ => false,
    };
}
