using BenchmarkDotNet.Attributes;
using Parley.Crypto.Auth;

namespace Parley.Benchmarks;

/// <summary>
/// Account authentication costs (docs/BENCHMARKS.md, "Server: accounts"): the server's CPU per login
/// (start: B = kv + g^b; finish: S, M1 check, M2 — 4096-bit group), the client's SRP work, Argon2id at
/// the production cost, and verifying a proof of work.
/// </summary>
[MemoryDiagnoser]
public class SrpBenchmarks
{
    private SrpRegistration _registration = null!;
    private byte[] _publicB = null!;
    private byte[] _privateB = null!;
    private byte[] _publicA = null!;
    private byte[] _m1 = null!;
    private StretchedPassword _stretched = null!;
    private byte[] _challenge = null!;
    private ulong _counter;

    [GlobalSetup]
    public void Setup()
    {
        var argon = new Argon2Parameters(1024, 1, 1);
        _registration = SrpRegistration.Create("alice", "correct horse battery staple", argon);
        (_publicB, _privateB) = SrpServerSession.Begin(_registration.Verifier);
        _stretched = StretchedPassword.Derive("correct horse battery staple", _registration.ArgonSalt, argon);
        using var client = new SrpClientSession("alice", _stretched, _registration.SrpSalt);
        _publicA = client.PublicA;
        _m1 = client.ComputeProof(_publicB);
        _challenge = System.Security.Cryptography.RandomNumberGenerator.GetBytes(57);
        _counter = ProofOfWork.Solve(_challenge, 16);
    }

    [GlobalCleanup]
    public void Cleanup() => _stretched.Dispose();

    /// <summary>Server, login start: a fresh ephemeral and B.</summary>
    [Benchmark]
    public byte[] ServerLoginStart() => SrpServerSession.Begin(_registration.Verifier).PublicB;

    /// <summary>Server, login finish: S, constant-time M1 check, M2.</summary>
    [Benchmark]
    public bool ServerLoginFinish() => SrpServerSession.TryFinish(_registration.Verifier, _privateB, _publicB, _publicA, _m1, out _);

    /// <summary>Client: A, then S and M1 for the server's B (Argon2 excluded).</summary>
    [Benchmark]
    public byte[] ClientProof()
    {
        using var client = new SrpClientSession("alice", _stretched, _registration.SrpSalt);
        return client.ComputeProof(_publicB);
    }

    /// <summary>Client: Argon2id at the production cost (64 MiB, t=3, p=1).</summary>
    [Benchmark]
    public int Argon2idDefault()
    {
        using var stretched = StretchedPassword.Derive("correct horse battery staple", _registration.ArgonSalt, Argon2Parameters.Default);
        return stretched.ToString().Length;
    }

    /// <summary>Server: verifying a proof-of-work solution.</summary>
    [Benchmark]
    public bool ProofOfWorkVerify() => ProofOfWork.Verify(_challenge, 16, _counter);
}
