using Amazon.S3;
using Amazon.S3.Model;

namespace Parley.Server.Files.S3;

/// <summary>
/// A seekable read-only view of one S3 object: each read after a seek opens a ranged GET from the
/// current position to the end, so ASP.NET's Range processing fetches only the bytes asked for and
/// a full download is one request. Asynchronous reads only (the server never reads blobs synchronously).
/// </summary>
internal sealed class S3ReadStream : Stream
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _key;
    private readonly long _length;
    private GetObjectResponse? _response;
    private long _position;

    public S3ReadStream(IAmazonS3 s3, string bucket, string key, long length)
    {
        _s3 = s3;
        _bucket = bucket;
        _key = key;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= _length)
        {
            return 0;
        }

        _response ??= await _s3.GetObjectAsync(
            new GetObjectRequest { BucketName = _bucket, Key = _key, ByteRange = new ByteRange(_position, _length - 1) },
            cancellationToken);
        int read = await _response.ResponseStream.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException("The object ended before its recorded length.");
        }

        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Blobs in object storage are read asynchronously.");

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            CloseBody();
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }

        base.Dispose(disposing);
    }

    private void CloseBody()
    {
        _response?.Dispose();
        _response = null;
    }
}
