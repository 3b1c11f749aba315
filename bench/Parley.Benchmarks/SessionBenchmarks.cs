using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Session;

namespace Parley.Benchmarks;

/// <summary>
/// The session layer as the client uses it: every call loads the state from the store, and stores
/// it again after success.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class SessionBenchmarks
{
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(100);
    private InMemoryIdentityStore _aliceIds = null!, _bobIds = null!;
    private InMemoryPreKeyStore _alicePreKeys = null!, _bobPreKeys = null!;
    private InMemorySessionStore _aliceSessions = null!, _bobSessions = null!;
    private SessionCipher _alice = null!, _bob = null!;

    [GlobalSetup]
    public void Setup()
    {
        var aliceIdentity = IdentityKeyPair.Generate();
        var bobIdentity = IdentityKeyPair.Generate();
        _aliceIds = new InMemoryIdentityStore("alice", aliceIdentity);
        _bobIds = new InMemoryIdentityStore("bob", bobIdentity);
        _alicePreKeys = new InMemoryPreKeyStore();
        _bobPreKeys = new InMemoryPreKeyStore();
        var signed = SignedPreKeyRecord.Generate(bobIdentity, new SignedPreKeyId(1), DateTimeOffset.UnixEpoch);
        var kem = KemPreKeyRecord.Generate(bobIdentity, new KemPreKeyId(1), isLastResort: true);
        _bobPreKeys.Add(signed);
        _bobPreKeys.Add(kem);
        var bundle = new PreKeyBundle("bob", bobIdentity.PublicKey, signed.PublicPreKey, null, kem.PublicPreKey,
            SignedSuiteList.Create(bobIdentity, CipherSuites.All));
        _aliceSessions = new InMemorySessionStore();
        _bobSessions = new InMemorySessionStore();
        if (!new SessionBuilder(_aliceIds, _aliceSessions, "bob").TryProcessBundle(bundle, out SessionError error))
        {
            throw new InvalidOperationException(error.ToString());
        }

        _alice = new SessionCipher(_aliceIds, _alicePreKeys, _aliceSessions, "bob");
        _bob = new SessionCipher(_bobIds, _bobPreKeys, _bobSessions, "alice");
        RoundTrip();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aliceIds.Dispose();
        _bobIds.Dispose();
        _alicePreKeys.Dispose();
        _bobPreKeys.Dispose();
    }

    /// <summary>Alice encrypts, Bob decrypts, same chain.</summary>
    [Benchmark]
    public byte[]? EncryptDecryptWithinChain() => Deliver(_alice, _bob);

    /// <summary>As above, but with a new <see cref="SessionCipher"/> per call (no cache: every call parses the record).</summary>
    [Benchmark]
    public byte[]? EncryptDecryptWithinChainFreshCiphers()
    {
        using var alice = new SessionCipher(_aliceIds, _alicePreKeys, _aliceSessions, "bob");
        using var bob = new SessionCipher(_bobIds, _bobPreKeys, _bobSessions, "alice");
        return Deliver(alice, bob);
    }

    /// <summary>One message each way, each decryption with a DH ratchet step.</summary>
    [Benchmark]
    public byte[]? RoundTrip()
    {
        Deliver(_alice, _bob);
        return Deliver(_bob, _alice);
    }

    private byte[]? Deliver(SessionCipher from, SessionCipher to)
    {
        CiphertextMessage message = from.Encrypt(_plaintext);
        return to.TryDecrypt(message.Bytes.Span, out byte[]? plaintext, out SessionError error)
            ? plaintext
            : throw new InvalidOperationException(error.ToString());
    }
}
