using System.Security.Cryptography;
using Parley.Crypto.Attachments;

namespace Parley.Crypto.Tests.Attachments;

public sealed class AttachmentTamperingTests
{
    private const int Chunk = AttachmentFormat.DefaultChunkSize;
    private const int Sealed = Chunk + AttachmentFormat.TagLength;
    private const int Header = AttachmentFormat.HeaderLength;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly AttachmentKey _key = AttachmentKey.Generate();
    private readonly byte[] _ciphertext;

    public AttachmentTamperingTests()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes((3 * Chunk) + 100);
        _ciphertext = AttachmentRoundTripTests.ReadAll(new AttachmentEncryptingStream(new MemoryStream(plaintext), _key), 8192);
    }

    private Task<AttachmentError> Decrypt(byte[] blob, AttachmentKey? key = null, byte[]? digest = null) =>
        AttachmentCipher.DecryptAsync(new MemoryStream(blob), new MemoryStream(), key ?? _key, digest).WaitAsync(Timeout);

    [Fact]
    public async Task The_untampered_blob_decrypts()
    {
        Assert.Equal(AttachmentError.None, await Decrypt(_ciphertext, digest: SHA256.HashData(_ciphertext)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(Header)]
    [InlineData(Header + Sealed - 1)]
    [InlineData(Header + Sealed + 5)]
    [InlineData(-1)]
    public async Task A_flipped_bit_anywhere_is_rejected(int position)
    {
        byte[] blob = (byte[])_ciphertext.Clone();
        int index = position < 0 ? blob.Length + position : position;
        blob[index] ^= 0x10;
        AttachmentError error = await Decrypt(blob);
        Assert.Contains(error, new[] { AttachmentError.InvalidHeader, AttachmentError.ChunkAuthenticationFailed });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Truncation_at_a_chunk_boundary_is_rejected(int chunks)
    {
        Assert.Equal(AttachmentError.Truncated, await Decrypt(_ciphertext[..(Header + (chunks * Sealed))]));
    }

    [Theory]
    [InlineData(Header + 1)]
    [InlineData(Header + 100)]
    [InlineData(Header + Sealed + 17)]
    [InlineData(-1)]
    public async Task Truncation_mid_chunk_is_rejected(int length)
    {
        int cut = length < 0 ? _ciphertext.Length + length : length;
        AttachmentError error = await Decrypt(_ciphertext[..cut]);
        Assert.Contains(error, new[] { AttachmentError.Truncated, AttachmentError.ChunkAuthenticationFailed });
    }

    [Fact]
    public async Task A_missing_or_short_header_is_rejected()
    {
        Assert.Equal(AttachmentError.InvalidHeader, await Decrypt([]));
        Assert.Equal(AttachmentError.InvalidHeader, await Decrypt(_ciphertext[..5]));
    }

    [Fact]
    public async Task A_header_announcing_a_huge_chunk_is_rejected_before_allocating()
    {
        byte[] blob = (byte[])_ciphertext.Clone();
        blob[4] = 0xFF;
        Assert.Equal(AttachmentError.InvalidHeader, await Decrypt(blob));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Sealed)]
    public async Task Appended_bytes_are_rejected(int extra)
    {
        byte[] blob = [.. _ciphertext, .. RandomNumberGenerator.GetBytes(extra)];
        // Appended bytes join the short final chunk, which then fails authentication.
        AttachmentError error = await Decrypt(blob);
        Assert.Contains(error, new[] { AttachmentError.TrailingData, AttachmentError.ChunkAuthenticationFailed });
    }

    [Fact]
    public async Task Two_swapped_chunks_are_rejected()
    {
        byte[] blob = (byte[])_ciphertext.Clone();
        _ciphertext.AsSpan(Header, Sealed).CopyTo(blob.AsSpan(Header + Sealed));
        _ciphertext.AsSpan(Header + Sealed, Sealed).CopyTo(blob.AsSpan(Header));
        Assert.Equal(AttachmentError.ChunkAuthenticationFailed, await Decrypt(blob));
    }

    [Fact]
    public async Task A_chunk_spliced_from_another_file_under_another_key_is_rejected()
    {
        using var other = AttachmentKey.Generate();
        byte[] otherBlob = AttachmentRoundTripTests.ReadAll(
            new AttachmentEncryptingStream(new MemoryStream(new byte[3 * Chunk]), other), 8192);
        byte[] blob = (byte[])_ciphertext.Clone();
        otherBlob.AsSpan(Header + Sealed, Sealed).CopyTo(blob.AsSpan(Header + Sealed));
        Assert.Equal(AttachmentError.ChunkAuthenticationFailed, await Decrypt(blob));
    }

    [Fact]
    public async Task The_wrong_key_is_rejected()
    {
        using var wrong = AttachmentKey.Generate();
        Assert.Equal(AttachmentError.ChunkAuthenticationFailed, await Decrypt(_ciphertext, wrong));
    }

    [Fact]
    public async Task A_digest_mismatch_is_rejected()
    {
        byte[] digest = SHA256.HashData(_ciphertext);
        digest[31] ^= 1;
        Assert.Equal(AttachmentError.DigestMismatch, await Decrypt(_ciphertext, digest: digest));
    }

    [Fact]
    public void After_a_failure_the_stream_keeps_failing_and_releases_nothing_more()
    {
        byte[] blob = (byte[])_ciphertext.Clone();
        blob[Header + Sealed + 3] ^= 1;
        using var decrypting = new AttachmentDecryptingStream(new MemoryStream(blob), _key);
        byte[] buffer = new byte[Chunk];
        Assert.Equal(Chunk, decrypting.Read(buffer));
        var first = Assert.Throws<AttachmentCorruptException>(() => decrypting.Read(buffer));
        Assert.Equal(AttachmentError.ChunkAuthenticationFailed, first.Error);
        Assert.Throws<AttachmentCorruptException>(() => decrypting.Read(buffer));
    }
}
