using System.Buffers;
using System.Net;

namespace Parley.Client.Transfers;

/// <summary>
/// HTTP content that streams the encrypting stream's output straight into the request through one
/// pooled buffer (constant memory), with a known length so no chunked encoding is needed, reporting
/// each buffer sent.
/// </summary>
internal sealed class UploadContent : HttpContent
{
    /// <summary>Size of the copy buffer.</summary>
    public const int BufferBytes = 256 * 1024;

    private readonly Stream _source;
    private readonly long _length;
    private readonly Action<long> _sent;

    /// <param name="source">Ciphertext positioned at the upload's offset.</param>
    /// <param name="length">Bytes to send.</param>
    /// <param name="sent">Called with the running count of bytes handed to the connection.</param>
    public UploadContent(Stream source, long length, Action<long> sent)
    {
        _source = source;
        _length = length;
        _sent = sent;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            long total = 0;
            while (total < _length)
            {
                int want = (int)Math.Min(BufferBytes, _length - total);
                int read = await _source.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                if (read != want)
                {
                    // The plaintext file shrank while uploading: the declared length can no longer be met.
                    throw new IOException("The file changed while it was being uploaded.");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
                _sent(total);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
