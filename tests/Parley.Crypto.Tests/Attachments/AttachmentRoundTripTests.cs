using System.Security.Cryptography;
using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Tests.Attachments;

public sealed class AttachmentRoundTripTests
{
    private const int Chunk = AttachmentFormat.DefaultChunkSize;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<int, AeadAlgorithm> Sizes()
    {
        var data = new TheoryData<int, AeadAlgorithm>();
        foreach (AeadAlgorithm alg in new[] { AeadAlgorithm.ChaCha20Poly1305, AeadAlgorithm.Aes256Gcm })
        {
            foreach (int size in new[] { 0, 1, Chunk - 1, Chunk, Chunk + 1, (5 * Chunk) + 7 })
            {
                data.Add(size, alg);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Round_trips_every_size_with_the_documented_length_and_digest(int size, AeadAlgorithm algorithm)
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(size);
        using var key = AttachmentKey.Generate();
        using var encrypted = new MemoryStream();
        AttachmentEncryptionResult result = await AttachmentCipher.EncryptAsync(new MemoryStream(plaintext), encrypted, key, algorithm)
            .WaitAsync(Timeout);

        byte[] ciphertext = encrypted.ToArray();
        Assert.Equal(AttachmentFormat.CiphertextLength(size), ciphertext.Length);
        Assert.Equal(ciphertext.Length, result.CiphertextLength);
        Assert.Equal(size, result.PlaintextLength);
        Assert.Equal(SHA256.HashData(ciphertext), result.CiphertextSha256);

        using var decrypted = new MemoryStream();
        AttachmentError error = await AttachmentCipher.DecryptAsync(new MemoryStream(ciphertext), decrypted, key, result.CiphertextSha256)
            .WaitAsync(Timeout);
        Assert.Equal(AttachmentError.None, error);
        Assert.Equal(plaintext, decrypted.ToArray());
    }

    [Fact]
    public void Ten_MiB_of_random_data_round_trips_through_both_streams_with_odd_read_sizes()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        using var key = AttachmentKey.Generate();
        using var encrypting = new AttachmentEncryptingStream(new TrickleStream(plaintext, 7777), key);
        byte[] ciphertext = ReadAll(encrypting, 4099);
        Assert.Equal(SHA256.HashData(ciphertext), encrypting.GetCiphertextSha256());

        using var decrypting = new AttachmentDecryptingStream(new TrickleStream(ciphertext, 3001), key, encrypting.GetCiphertextSha256());
        Assert.Equal(plaintext, ReadAll(decrypting, 65_521));
        Assert.Equal(plaintext.Length, decrypting.PlaintextLength);
    }

    [Fact]
    public void The_same_file_encrypted_twice_gives_different_ciphertexts()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(1000);
        using var k1 = AttachmentKey.Generate();
        using var k2 = AttachmentKey.Generate();
        byte[] c1 = ReadAll(new AttachmentEncryptingStream(new MemoryStream(plaintext), k1), 512);
        byte[] c2 = ReadAll(new AttachmentEncryptingStream(new MemoryStream(plaintext), k2), 512);
        Assert.NotEqual(c1, c2);
    }

    [Fact]
    public void Memory_stays_constant_whatever_the_size()
    {
        using var key = AttachmentKey.Generate();
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var encrypting = new AttachmentEncryptingStream(new ZeroStream(64L * 1024 * 1024), key);
        using var decrypting = new AttachmentDecryptingStream(encrypting, key);
        byte[] buffer = new byte[Chunk];
        long total = 0;
        int read;
        while ((read = decrypting.Read(buffer)) > 0)
        {
            total += read;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(64L * 1024 * 1024, total);
        Assert.True(allocated < 2 * 1024 * 1024, $"allocated {allocated} bytes for 64 MiB");
    }

    [Fact]
    public void Wiped_key_material_does_not_show_in_ToString()
    {
        using var key = AttachmentKey.Generate();
        Assert.Equal(nameof(AttachmentKey), key.ToString());
    }

    internal static byte[] ReadAll(Stream stream, int bufferSize)
    {
        using var output = new MemoryStream();
        byte[] buffer = new byte[bufferSize];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    /// <summary>Returns at most <c>maxRead</c> bytes per call, like a network stream.</summary>
    private sealed class TrickleStream(byte[] data, int maxRead) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, maxRead));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, maxRead)]);
    }

    /// <summary>A stream of zeros that allocates nothing while read.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, length - _position);
            buffer[..n].Clear();
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
