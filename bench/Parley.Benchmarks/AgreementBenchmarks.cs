using BenchmarkDotNet.Attributes;
using Parley.Crypto.Agreement;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;

namespace Parley.Benchmarks;

/// <summary>
/// Session setup cost per side, including ML-KEM-1024 (target: at most 1 ms CPU per side), and the
/// key operations around it: verifying a fetched bundle and generating a signed KEM prekey.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class AgreementBenchmarks
{
    private IdentityKeyPair _alice = null!;
    private IdentityKeyPair _bob = null!;
    private SignedPreKeyRecord _signedPreKey = null!;
    private OneTimePreKeyRecord _oneTimePreKey = null!;
    private KemPreKeyRecord _kemPreKey = null!;
    private byte[] _bundleBytes = null!;
    private PreKeyBundle _bundle = null!;
    private InitialMessageHeader _header = null!;

    [GlobalSetup]
    public void Setup()
    {
        _alice = IdentityKeyPair.Generate();
        _bob = IdentityKeyPair.Generate();
        _signedPreKey = SignedPreKeyRecord.Generate(_bob, new SignedPreKeyId(1), DateTimeOffset.UnixEpoch);
        _oneTimePreKey = OneTimePreKeyRecord.Generate(new PreKeyId(1));
        _kemPreKey = KemPreKeyRecord.Generate(_bob, new KemPreKeyId(1), isLastResort: false);
        _bundle = new PreKeyBundle("bob", _bob.PublicKey, _signedPreKey.PublicPreKey, _oneTimePreKey.PublicPreKey,
            _kemPreKey.PublicPreKey, SignedSuiteList.Create(_bob, CipherSuites.All));
        _bundleBytes = _bundle.Serialize();
        using var initiated = HybridAgreement.Initiate(_alice, "alice", _bundle, CipherSuites.All);
        _header = initiated.Header;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
        _signedPreKey.Dispose();
        _oneTimePreKey.Dispose();
        _kemPreKey.Dispose();
    }

    /// <summary>Initiator: verify the bundle's signatures, 4 X25519, ML-KEM encapsulation, HKDF.</summary>
    [Benchmark]
    public int Initiate()
    {
        using var result = HybridAgreement.Initiate(_alice, "alice", _bundle, CipherSuites.All);
        return result.RootKey[0];
    }

    /// <summary>Initiator from the wire: parse the fetched bundle bytes, then <see cref="Initiate"/>.</summary>
    [Benchmark]
    public int ParseBundleAndInitiate()
    {
        if (!PreKeyBundle.TryParse(_bundleBytes, out var bundle))
        {
            throw new InvalidOperationException("The benchmark bundle must parse.");
        }

        using var result = HybridAgreement.Initiate(_alice, "alice", bundle, CipherSuites.All);
        return result.RootKey[0];
    }

    /// <summary>Responder: 4 X25519, ML-KEM decapsulation, HKDF (prekey records already loaded).</summary>
    [Benchmark]
    public int Respond()
    {
        using var result = HybridAgreement.Respond(_bob, "bob", _signedPreKey, _oneTimePreKey, _kemPreKey, _header);
        return result.RootKey[0];
    }

    /// <summary>The server's (and initiator's) bundle check: parse and verify all four signatures.</summary>
    [Benchmark]
    public bool ParseAndVerifyBundle() => PreKeyBundle.TryParse(_bundleBytes, out var bundle) && bundle.Verify();

    /// <summary>Client: create and sign one ML-KEM-1024 prekey (done in batches when refilling).</summary>
    [Benchmark]
    public int GenerateKemPreKey()
    {
        using var record = KemPreKeyRecord.Generate(_bob, new KemPreKeyId(2), isLastResort: false);
        return record.PublicPreKey.PublicKey[0];
    }
}
