using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;

namespace Parley.Benchmarks;

/// <summary>Attachment stream cipher throughput: 16 MiB per operation, so MB/s = 16.78 / (mean in s).</summary>
[MemoryDiagnoser]
[MinColumn]
public class AttachmentBenchmarks
{
    private const int Size = 16 * 1024 * 1024;
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(Size);
    private readonly byte[] _buffer = new byte[1024 * 1024];
    private byte[] _ciphertext = [];
    private AttachmentKey _key = AttachmentKey.Generate();

    [Params(64 * 1024, 1024 * 1024)]
    public int ChunkSize { get; set; }

    [Params(AeadAlgorithm.ChaCha20Poly1305, AeadAlgorithm.Aes256Gcm)]
    public AeadAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = AttachmentKey.Generate();
        using var output = new MemoryStream();
        using (var encrypting = new AttachmentEncryptingStream(new MemoryStream(_plaintext), _key, Algorithm, ChunkSize))
        {
            encrypting.CopyTo(output);
        }

        _ciphertext = output.ToArray();
    }

    [Benchmark]
    public long Encrypt16MiB()
    {
        using var encrypting = new AttachmentEncryptingStream(new MemoryStream(_plaintext), _key, Algorithm, ChunkSize);
        return Drain(encrypting);
    }

    [Benchmark]
    public long Decrypt16MiB()
    {
        using var decrypting = new AttachmentDecryptingStream(new MemoryStream(_ciphertext), _key);
        return Drain(decrypting);
    }

    private long Drain(Stream stream)
    {
        long total = 0;
        int read;
        while ((read = stream.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            total += read;
        }

        return total;
    }
}
