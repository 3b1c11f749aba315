using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Attachments;

/// <summary>
/// A read-only stream that yields the plaintext of an encrypted attachment while it reads the
/// ciphertext (e.g. straight from a download), verifying every chunk before releasing it, in
/// constant memory. Any failed check throws <see cref="AttachmentCorruptException"/> with a typed
/// <see cref="AttachmentError"/>; the caller must then discard everything it has read (write to a
/// temporary file and commit it only after the stream has returned 0).
/// </summary>
public sealed class AttachmentDecryptingStream : Stream
{
    private readonly Stream _ciphertext;
    private readonly bool _leaveOpen;
    private readonly byte[] _key;
    private readonly byte[]? _expectedSha256;
    private readonly byte[] _header = new byte[AttachmentFormat.HeaderLength];
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private AeadAlgorithm _algorithm;
    private byte[] _input = [];
    private byte[] _plain = [];
    private int _plainOffset;
    private int _plainLength;
    private ulong _chunkIndex;
    private bool _headerRead;
    private bool _done;
    private AttachmentError _failure;

    /// <summary>Creates the stream.</summary>
    /// <param name="ciphertext">The readable encrypted blob.</param>
    /// <param name="key">The key from the file pointer; copied.</param>
    /// <param name="expectedSha256">The 32-byte ciphertext digest from the file pointer, or null to skip that check.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="ciphertext"/> open.</param>
    public AttachmentDecryptingStream(Stream ciphertext, AttachmentKey key, byte[]? expectedSha256 = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(key);
        if (expectedSha256 is not null && expectedSha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("The expected digest must be 32 bytes.", nameof(expectedSha256));
        }

        _ciphertext = ciphertext;
        _leaveOpen = leaveOpen;
        _key = key.Span.ToArray();
        _expectedSha256 = (byte[]?)expectedSha256?.Clone();
    }

    /// <summary>Verified plaintext bytes released so far.</summary>
    public long PlaintextLength { get; private set; }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => PlaintextLength;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        // With useAsync false every await below completes synchronously.
        EnsureAvailableAsync(false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return CopyOut(buffer);
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        await EnsureAvailableAsync(true, cancellationToken).ConfigureAwait(false);
        return CopyOut(buffer.Span);
    }

    private int CopyOut(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _plainLength - _plainOffset);
        _plain.AsSpan(_plainOffset, count).CopyTo(destination);
        _plainOffset += count;
        PlaintextLength += count;
        return count;
    }

    private async ValueTask EnsureAvailableAsync(bool useAsync, CancellationToken cancellationToken)
    {
        if (_failure != AttachmentError.None)
        {
            throw new AttachmentCorruptException(_failure);
        }

        try
        {
            while (_plainOffset == _plainLength && !_done)
            {
                await NextChunkAsync(useAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AttachmentCorruptException e)
        {
            _failure = e.Error;
            _plainOffset = _plainLength = 0;
            CryptographicOperations.ZeroMemory(_plain);
            throw;
        }
    }

    private async ValueTask NextChunkAsync(bool useAsync, CancellationToken cancellationToken)
    {
        if (!_headerRead)
        {
            int got = await FillAsync(_header, useAsync, cancellationToken).ConfigureAwait(false);
            if (!AttachmentFormat.TryReadHeader(_header.AsSpan(0, got), out _algorithm, out int chunkSize))
            {
                throw new AttachmentCorruptException(AttachmentError.InvalidHeader);
            }

            _sha256.AppendData(_header);
            _input = new byte[chunkSize + AttachmentFormat.TagLength];
            _plain = new byte[chunkSize];
            _headerRead = true;
        }

        int length = await FillAsync(_input, useAsync, cancellationToken).ConfigureAwait(false);
        if (length < AttachmentFormat.TagLength)
        {
            throw new AttachmentCorruptException(AttachmentError.Truncated);
        }

        _sha256.AppendData(_input, 0, length);
        bool final = length < _input.Length;
        Span<byte> nonce = stackalloc byte[AttachmentFormat.NonceLength];
        AttachmentFormat.WriteNonce(nonce, _chunkIndex, final);
        int plainLength = length - AttachmentFormat.TagLength;
        if (!Aead.TryOpen(_algorithm, _key, nonce, _input.AsSpan(0, length), _header, _plain.AsSpan(0, plainLength)))
        {
            throw new AttachmentCorruptException(AttachmentError.ChunkAuthenticationFailed);
        }

        _chunkIndex++;
        _plainOffset = 0;
        _plainLength = plainLength;
        if (final)
        {
            await FinishAsync(useAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FinishAsync(bool useAsync, CancellationToken cancellationToken)
    {
        byte[] probe = new byte[1];
        if (await FillAsync(probe, useAsync, cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new AttachmentCorruptException(AttachmentError.TrailingData);
        }

        byte[] digest = _sha256.GetHashAndReset();
        if (_expectedSha256 is not null && !CryptographicOperations.FixedTimeEquals(digest, _expectedSha256))
        {
            throw new AttachmentCorruptException(AttachmentError.DigestMismatch);
        }

        _done = true;
    }

    private ValueTask<int> FillAsync(byte[] destination, bool useAsync, CancellationToken cancellationToken) =>
        StreamFill.FillAsync(_ciphertext, destination, useAsync, cancellationToken);

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
                _ciphertext.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
