using BenchmarkDotNet.Attributes;
using Parley.Crypto.Primitives;

namespace Parley.Benchmarks;

/// <summary>
/// The primitives one session setup is made of, to explain where its time goes: X25519 agreement,
/// Ed25519 verification, ML-KEM-1024 encapsulation and decapsulation.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class AgreementPrimitivesBenchmarks
{
    private readonly byte[] _shared = new byte[32];
    private readonly byte[] _message = new byte[1700];
    private X25519KeyPair _x = null!;
    private X25519KeyPair _peer = null!;
    private Ed25519KeyPair _signer = null!;
    private byte[] _signature = null!;
    private MlKem1024KeyPair _kem = null!;
    private byte[] _ciphertext = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x = X25519KeyPair.Generate();
        _peer = X25519KeyPair.Generate();
        _signer = Ed25519KeyPair.Generate();
        _signature = _signer.Sign(_message);
        _kem = MlKem1024KeyPair.Generate();
        MlKem1024.TryEncapsulate(_kem.PublicKey, out _ciphertext, _shared);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _peer.Dispose();
        _signer.Dispose();
        _kem.Dispose();
    }

    [Benchmark]
    public bool X25519Agree() => _x.TryAgree(_peer.PublicKey, _shared);

    [Benchmark]
    public int X25519Generate()
    {
        using var pair = X25519KeyPair.Generate();
        return pair.PublicKey[0];
    }

    [Benchmark]
    public bool Ed25519Verify() => Ed25519.Verify(_signer.PublicKey, _message, _signature);

    [Benchmark]
    public bool MlKemEncapsulate() => MlKem1024.TryEncapsulate(_kem.PublicKey, out _, _shared);

    [Benchmark]
    public bool MlKemDecapsulate() => _kem.TryDecapsulate(_ciphertext, _shared);
}
