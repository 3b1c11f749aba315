using System.Buffers;
using System.IO.Pipelines;

namespace Parley.Server.Relay;

/// <summary>
/// A connection's transport pipes as one stream, for a WebSocket accepted at the connection level.
/// Reads copy out of the pipe and consume only what they copied, so no buffer of its own is held
/// while the socket is idle (the transport allocates its buffer only once data has arrived). The pipes
/// belong to the connection: disposing the stream leaves them to Kestrel.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe transport) : Stream
{
    private readonly PipeReader _input = transport.Input;
    private readonly PipeWriter _output = transport.Output;
    private volatile bool _disposed;
    private volatile bool _deferFlush;
    private bool _unflushed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
        var data = result.Buffer;
        if (_disposed)
        {
            // Disposed (the WebSocket aborted) while the read was pending: it ends like a closed connection.
            _input.AdvanceTo(data.Start);
            return 0;
        }

        if (buffer.IsEmpty)
        {
            // A zero-byte read only waits for data; nothing is consumed.
            _input.AdvanceTo(data.Start);
            return 0;
        }

        var count = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, count).CopyTo(buffer.Span);
        _input.AdvanceTo(data.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// While set, writes only append to the output pipe and the WebSocket's flushes are ignored; the
    /// next write made while it is clear (or <see cref="FlushPendingAsync"/>) sends everything at once.
    /// The relay sets it while more frames wait behind the one being written. Writes are serialized by
    /// the WebSocket.
    /// </summary>
    internal bool DeferFlush
    {
        get => _deferFlush;
        set => _deferFlush = value;
    }

    /// <summary>Whether a deferred write is still waiting for a flush.</summary>
    internal bool HasUnflushed => _unflushed;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_deferFlush)
        {
            _output.Write(buffer.Span);
            _unflushed = true;
            return;
        }

        _unflushed = false;
        var result = await _output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Sends what deferred writes left in the pipe. The WebSocket calls this after every frame it
    /// writes: while <see cref="DeferFlush"/> is set that call does nothing (the run's last write flushes),
    /// and with nothing left unflushed it does not flush an empty pipe a second time.
    /// </summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_deferFlush || !_unflushed)
        {
            return;
        }

        _unflushed = false;
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends whatever deferred writes left in the pipe, whatever <see cref="DeferFlush"/> says (the end of a run).</summary>
    internal async ValueTask FlushPendingAsync(CancellationToken cancellationToken)
    {
        if (!_unflushed)
        {
            return;
        }

        _unflushed = false;
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a pending read or flush (an aborted WebSocket disposes its stream and expects its pending
    /// receive to end); the pipes themselves stay open for Kestrel to complete.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _input.CancelPendingRead();
            _output.CancelPendingFlush();
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
        // Writes are flushed by WriteAsync (or, deferred, by the asynchronous flushes).
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous reads only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous writes only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
