using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Parley.Server.Files.S3;

/// <summary>
/// Committed blobs in an S3 bucket; uploads in progress stay on the receiving node's disk (a
/// <see cref="LocalBlobStore"/> used as staging) so tus PATCHes append locally at disk speed. On
/// completion the staged file goes to S3 in one PUT, or as a multipart upload of
/// <see cref="PartBytes"/> parts when larger, with its SHA-256 in the object's metadata; the stored
/// length is checked before the staged copy is removed. Chunked payload signing is off
/// (<c>UseChunkEncoding = false</c>): some S3 servers store aws-chunked framing inside the object.
/// </summary>
public sealed partial class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>Size of one multipart part (S3 needs at least 5 MiB for every part but the last).</summary>
    public const long PartBytes = 16L * 1024 * 1024;

    /// <summary>User metadata key carrying the hex SHA-256 of the blob (<c>x-amz-meta-sha256</c>).</summary>
    public const string DigestMetadataKey = "sha256";

    private readonly AmazonS3Client _s3;
    private readonly LocalBlobStore _staging;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly ILogger<S3BlobStore> _log;

    /// <summary>Creates the store; <paramref name="stagingDirectory"/> holds uploads in progress.</summary>
    public S3BlobStore(S3BlobOptions options, string stagingDirectory, ILogger<S3BlobStore> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.Enabled)
        {
            throw new ArgumentException("No S3 bucket is configured.", nameof(options));
        }

        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 3,
        };
        _s3 = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        _staging = new LocalBlobStore(stagingDirectory);
        _bucket = options.Bucket;
        _prefix = options.KeyPrefix;
        _log = log;
    }

    /// <inheritdoc />
    public FileStream OpenAppend(BlobId id, long offset) => _staging.OpenAppend(id, offset);

    /// <inheritdoc />
    public async Task CommitAsync(BlobId id, CancellationToken cancellationToken)
    {
        string path = _staging.PartialPath(id);
        long length;
        byte[] digest;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, LocalBlobStore.StreamBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
            length = file.Length;
            digest = await SHA256.HashDataAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobMissingException(e);
        }

        string key = Key(id);
        string hex = Convert.ToHexStringLower(digest);
        if (length <= PartBytes)
        {
            var put = new PutObjectRequest { BucketName = _bucket, Key = key, FilePath = path, UseChunkEncoding = false };
            put.Metadata.Add(DigestMetadataKey, hex);
            await _s3.PutObjectAsync(put, cancellationToken);
        }
        else
        {
            await UploadMultipartAsync(key, path, length, hex, cancellationToken);
        }

        long stored = await GetLengthAsync(key, cancellationToken) ?? -1;
        if (stored != length)
        {
            await _s3.DeleteObjectAsync(_bucket, key, cancellationToken);
            throw new IOException("The object storage kept a different length than was uploaded.");
        }

        _staging.DeletePartial(id);
        LogCommitted(_log, length);
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(BlobId id, CancellationToken cancellationToken)
    {
        string key = Key(id);
        long? length = await GetLengthAsync(key, cancellationToken);
        return length is { } found ? new S3ReadStream(_s3, _bucket, key, found) : null;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(BlobId id, CancellationToken cancellationToken)
    {
        _staging.DeletePartial(id);
        await _s3.DeleteObjectAsync(_bucket, Key(id), cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _s3.Dispose();

    private async Task UploadMultipartAsync(string key, string path, long length, string hex, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key };
        initiate.Metadata.Add(DigestMetadataKey, hex);
        string uploadId = (await _s3.InitiateMultipartUploadAsync(initiate, cancellationToken)).UploadId;
        try
        {
            var parts = new List<PartETag>();
            int number = 1;
            for (long position = 0; position < length; position += PartBytes, number++)
            {
                var part = new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    FilePath = path,
                    FilePosition = position,
                    PartSize = Math.Min(PartBytes, length - position),
                    UseChunkEncoding = false,
                };
                var response = await _s3.UploadPartAsync(part, cancellationToken);
                parts.Add(new PartETag(number, response.ETag));
            }

            await _s3.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId, PartETags = parts },
                cancellationToken);
        }
        catch
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId },
                CancellationToken.None);
            throw;
        }
    }

    private async Task<long?> GetLengthAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(_bucket, key, cancellationToken);
            return head.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private string Key(BlobId id) => _prefix + id.Value;

    [LoggerMessage(EventId = 6020, Level = LogLevel.Debug, Message = "Blob of {Length} bytes moved to object storage")]
    private static partial void LogCommitted(ILogger logger, long length);
}
