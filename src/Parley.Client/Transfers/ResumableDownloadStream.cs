using System.Net;

namespace Parley.Client.Transfers;

/// <summary>
/// A read-only stream over a blob download that survives a broken connection: when reading fails it
/// reopens the download with <c>Range: bytes=N-</c> from the byte it had reached and carries on.
/// It passes through at most one byte past the expected length, so a blob with bytes appended is
/// seen as such by the decryptor without reading an unbounded tail.
/// </summary>
internal sealed class ResumableDownloadStream : Stream
{
    private readonly TusClient _tus;
    private readonly string _id;
    private readonly long _limit;
    private readonly Func<Exception, CancellationToken, Task> _onFailure;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;

    /// <param name="tus">The protocol client.</param>
    /// <param name="id">The blob id.</param>
    /// <param name="expectedLength">The ciphertext length the pointer promises.</param>
    /// <param name="onFailure">Called after each failed read (backs off, or throws to give up).</param>
    public ResumableDownloadStream(TusClient tus, string id, long expectedLength, Func<Exception, CancellationToken, Task> onFailure)
    {
        _tus = tus;
        _id = id;
        _limit = expectedLength + 1;
        _onFailure = onFailure;
    }

    /// <summary>Called when a read made progress (so the caller can reset its failure count).</summary>
    public event Action<long>? Progressed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _limit || buffer.Length == 0)
        {
            return 0;
        }

        buffer = buffer[..(int)Math.Min(buffer.Length, _limit - _position)];
        while (true)
        {
            try
            {
                _body ??= await OpenAsync(cancellationToken);
                int read = await _body.ReadAsync(buffer, cancellationToken);
                _position += read;
                if (read > 0)
                {
                    Progressed?.Invoke(_position);
                }

                return read;
            }
            catch (Exception e) when (FileUploader.IsTransient(e, cancellationToken))
            {
                Close(disposing: true);
                await _onFailure(e, cancellationToken);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Not supported: the stream retries over the network with delays, so it is read asynchronously only.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read this stream with ReadAsync.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close(disposing);
        }

        base.Dispose(disposing);
    }

    private async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await _tus.OpenDownloadAsync(_id, _position, cancellationToken);
        _response = response;
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (_position > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            throw new TransferException(TransferError.ProtocolViolation);
        }

        if (_position > 0 && response.Content.Headers.ContentRange?.From != _position)
        {
            throw new TransferException(TransferError.ProtocolViolation);
        }

        return body;
    }

    private void Close(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _response?.Dispose();
        }

        _body = null;
        _response = null;
    }
}
