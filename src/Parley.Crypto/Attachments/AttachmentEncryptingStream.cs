using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Attachments;

/// <summary>
/// A read-only stream that yields the encrypted attachment while it reads the plaintext, one chunk
/// at a time, in constant memory. Hand it to an upload (e.g. as HTTP content) to encrypt while
/// uploading. When it has been read to the end, <see cref="GetCiphertextSha256"/> gives the digest
/// for the file pointer. To resume an interrupted upload, create a new stream with the same key over
/// the same, unchanged plaintext and skip the bytes already uploaded: the output is identical. If the
/// file may have changed, use a fresh key (never the same key and nonce over different plaintext).
/// </summary>
public sealed class AttachmentEncryptingStream : Stream
{
    private readonly Stream _plaintext;
    private readonly bool _leaveOpen;
    private readonly byte[] _key;
    private readonly AeadAlgorithm _algorithm;
    private readonly int _chunkSize;
    private readonly byte[] _header = new byte[AttachmentFormat.HeaderLength];
    private readonly byte[] _plain;
    private readonly byte[] _output;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _digest;
    private int _outputOffset;
    private int _outputLength;
    private ulong _chunkIndex;
    private bool _finalWritten;
    private long _position;

    /// <summary>Creates the stream.</summary>
    /// <param name="plaintext">The readable plaintext source.</param>
    /// <param name="key">The file's fresh key; copied, so the caller may dispose it afterwards.</param>
    /// <param name="algorithm">The AEAD of the conversation's cipher suite.</param>
    /// <param name="chunkSize">Plaintext bytes per chunk (see <see cref="AttachmentFormat"/> limits).</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="plaintext"/> open.</param>
    public AttachmentEncryptingStream(Stream plaintext, AttachmentKey key, AeadAlgorithm algorithm = AeadAlgorithm.ChaCha20Poly1305,
        int chunkSize = AttachmentFormat.DefaultChunkSize, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(key);
        AttachmentFormat.CheckChunkSize(chunkSize);
        if (algorithm is not (AeadAlgorithm.ChaCha20Poly1305 or AeadAlgorithm.Aes256Gcm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm));
        }

        if (!plaintext.CanRead)
        {
            throw new ArgumentException("The plaintext stream must be readable.", nameof(plaintext));
        }

        _plaintext = plaintext;
        _leaveOpen = leaveOpen;
        _key = key.Span.ToArray();
        _algorithm = algorithm;
        _chunkSize = chunkSize;
        _plain = new byte[chunkSize];
        _output = new byte[chunkSize + AttachmentFormat.TagLength];
        AttachmentFormat.WriteHeader(_header, algorithm, chunkSize);
        _header.CopyTo(_output, 0);
        _outputLength = AttachmentFormat.HeaderLength;
        _sha256.AppendData(_header);
    }

    /// <summary>Plaintext bytes consumed so far.</summary>
    public long PlaintextLength { get; private set; }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <summary>Ciphertext bytes produced so far.</summary>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of the complete ciphertext; available once the stream has been read to its end.</summary>
    /// <exception cref="InvalidOperationException">The stream has not been read to its end.</exception>
    public byte[] GetCiphertextSha256() =>
        (byte[])(_digest ?? throw new InvalidOperationException("The attachment has not been fully encrypted yet.")).Clone();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        // With useAsync false every await below completes synchronously.
        EnsureOutputAsync(false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return CopyOut(buffer);
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await EnsureOutputAsync(true, cancellationToken).ConfigureAwait(false);
        return CopyOut(buffer.Span);
    }

    // _plain is exactly _chunkSize bytes, so filling it reads one chunk's plaintext.
    private async ValueTask EnsureOutputAsync(bool useAsync, CancellationToken cancellationToken)
    {
        if (_outputOffset == _outputLength && !_finalWritten)
        {
            SealChunk(await StreamFill.FillAsync(_plaintext, _plain, useAsync, cancellationToken).ConfigureAwait(false));
        }
    }

    private void SealChunk(int length)
    {
        bool final = length < _chunkSize;
        Span<byte> nonce = stackalloc byte[AttachmentFormat.NonceLength];
        AttachmentFormat.WriteNonce(nonce, _chunkIndex, final);
        int sealedLength = length + AttachmentFormat.TagLength;
        Aead.Seal(_algorithm, _key, nonce, _plain.AsSpan(0, length), _header, _output.AsSpan(0, sealedLength));
        _sha256.AppendData(_output, 0, sealedLength);
        _outputOffset = 0;
        _outputLength = sealedLength;
        _chunkIndex++;
        PlaintextLength += length;
        if (final)
        {
            _finalWritten = true;
            _digest = _sha256.GetHashAndReset();
        }
    }

    private int CopyOut(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _outputLength - _outputOffset);
        _output.AsSpan(_outputOffset, count).CopyTo(destination);
        _outputOffset += count;
        _position += count;
        return count;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CryptographicOperations.ZeroMemory(_key);
            CryptographicOperations.ZeroMemory(_plain);
            _sha256.Dispose();
            if (!_leaveOpen)
            {
                _plaintext.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
