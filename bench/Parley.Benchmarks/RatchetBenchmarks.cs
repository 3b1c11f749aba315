using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Parley.Crypto.Primitives;
using Parley.Crypto.Ratchet;

namespace Parley.Benchmarks;

/// <summary>Double Ratchet costs for a 100-byte message: within a chain, and with DH ratchet steps.</summary>
[MemoryDiagnoser]
[MinColumn]
public class RatchetBenchmarks
{
    private static readonly byte[] Prefix = [1, 1, 2];
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(100);
    private DoubleRatchet _alice = null!;
    private DoubleRatchet _bob = null!;
    private readonly X25519KeyPair _spare = X25519KeyPair.Generate();

    [GlobalSetup]
    public void Setup()
    {
        using var spk = X25519KeyPair.Generate();
        using var root = RootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        byte[] ad = RandomNumberGenerator.GetBytes(300);
        _alice = DoubleRatchet.CreateInitiator(root, AeadAlgorithm.ChaCha20Poly1305, spk.PublicKey, ad);
        _bob = DoubleRatchet.CreateResponder(root, AeadAlgorithm.ChaCha20Poly1305, spk, ad);
        Check(_bob.TryDecrypt(_alice.Encrypt(Prefix, _plaintext), Prefix.Length, out _));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    /// <summary>Alice encrypts, Bob decrypts, same chain (no DH step).</summary>
    [Benchmark]
    public byte[]? EncryptDecryptWithinChain()
    {
        Check(_bob.TryDecrypt(_alice.Encrypt(Prefix, _plaintext), Prefix.Length, out byte[]? plaintext));
        return plaintext;
    }

    /// <summary>
    /// One message each way; each decryption performs a DH ratchet step (two X25519 agreements and
    /// one key generation), so this is two "encrypt+decrypt with a DH step" operations.
    /// </summary>
    [Benchmark]
    public byte[]? RoundTripWithTwoRatchetSteps()
    {
        Check(_bob.TryDecrypt(_alice.Encrypt(Prefix, _plaintext), Prefix.Length, out _));
        Check(_alice.TryDecrypt(_bob.Encrypt(Prefix, _plaintext), Prefix.Length, out byte[]? plaintext));
        return plaintext;
    }

    /// <summary>Component of a DH step: one X25519 key generation (libsodium via NSec).</summary>
    [Benchmark]
    public int X25519Generate()
    {
        using var pair = X25519KeyPair.Generate();
        return pair.PublicKey[0];
    }

    /// <summary>Component of a DH step: one X25519 agreement (a DH step does two).</summary>
    [Benchmark]
    public bool X25519Agree()
    {
        Span<byte> shared = stackalloc byte[32];
        return _spare.TryAgree(_bob.SendingRatchetKey, shared);
    }

    /// <summary>State serialization, as the session layer does after every message.</summary>
    [Benchmark]
    public DoubleRatchet SerializeAndParse()
    {
        DoubleRatchet.TryDeserialize(_alice.Serialize(), out DoubleRatchet? copy);
        copy!.Dispose();
        return copy;
    }

    private static void Check(RatchetError error)
    {
        if (error != RatchetError.None)
        {
            throw new InvalidOperationException(error.ToString());
        }
    }
}
