using System.Buffers;
using System.IO.Pipelines;
using Parley.Daemon.Api;

namespace Parley.Daemon.Rpc;

/// <summary>
/// JSON-RPC as newline-delimited JSON over a byte stream (the Unix socket), as signal-cli's daemon
/// speaks it: one request or response per line. A line longer than
/// <see cref="ApiLimits.MaxRequestBytes"/> is refused before any of it is parsed.
/// </summary>
public sealed class LineTransport : IRpcTransport
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private bool _ended;

    /// <summary>Wraps a connected stream.</summary>
    /// <param name="stream">The stream (not owned).</param>
    public LineTransport(Stream stream)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        // After the client's end of stream nothing more is read: a last line without '\n' is
        // answered once, then the session ends (asked again, the pipe reader hands it out again).
        if (_ended)
        {
            return null;
        }

        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var line = buffer.Slice(0, end);
                if (line.Length > ApiLimits.MaxRequestBytes)
                {
                    throw new RequestTooLargeException();
                }

                var bytes = line.ToArray();
                _reader.AdvanceTo(buffer.GetPosition(1, end));
                if (IsBlank(bytes))
                {
                    continue;
                }

                return bytes;
            }

            if (buffer.Length > ApiLimits.MaxRequestBytes)
            {
                throw new RequestTooLargeException();
            }

            if (result.IsCompleted)
            {
                _ended = true;
                var rest = buffer.ToArray();
                _reader.AdvanceTo(buffer.End);
                return IsBlank(rest) ? null : rest;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsBlank(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\r' or (byte)'\t');
}
