using System.Text;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;
using Parley.Crypto.Session;

namespace Parley.Crypto.Tests.Session;

/// <summary>One person with real keys and in-memory stores, as the client SDK would wire them.</summary>
internal sealed class SessionParty : IDisposable
{
    private readonly Dictionary<string, SessionCipher> _ciphers = new(StringComparer.Ordinal);
    private InMemorySessionStore _sessions = new();
    private uint _nextId = 1;

    public SessionParty(string accountId, IReadOnlyList<CipherSuite>? suites = null)
    {
        AccountId = accountId;
        var identity = IdentityKeyPair.Generate();
        Identities = new InMemoryIdentityStore(accountId, identity);
        SignedPreKey = SignedPreKeyRecord.Generate(identity, new SignedPreKeyId(7), DateTimeOffset.UnixEpoch);
        PreKeys.Add(SignedPreKey);
        LastResort = KemPreKeyRecord.Generate(identity, new KemPreKeyId(1000), isLastResort: true);
        PreKeys.Add(LastResort);
        Suites = SignedSuiteList.Create(identity, suites ?? CipherSuites.All);
    }

    public string AccountId { get; }

    public InMemoryIdentityStore Identities { get; }

    public InMemoryPreKeyStore PreKeys { get; } = new();

    /// <summary>The session store; replacing it (a "restart") also drops the ciphers and their caches.</summary>
    public InMemorySessionStore Sessions
    {
        get => _sessions;
        set
        {
            DropCiphers();
            _sessions = value;
        }
    }

    public SignedPreKeyRecord SignedPreKey { get; }

    public KemPreKeyRecord LastResort { get; }

    public SignedSuiteList Suites { get; set; }

    public IdentityKey IdentityKey => Identities.GetIdentityKeyPair().PublicKey;

    /// <summary>A bundle as the server would hand it out: fresh one-time keys unless told otherwise.</summary>
    public PreKeyBundle Bundle(bool oneTimePreKey = true, bool oneTimeKemPreKey = true)
    {
        OneTimePreKey? oneTime = null;
        if (oneTimePreKey)
        {
            var record = OneTimePreKeyRecord.Generate(new PreKeyId(_nextId++));
            PreKeys.Add(record);
            oneTime = record.PublicPreKey;
        }

        KemPreKey kem = LastResort.PublicPreKey;
        if (oneTimeKemPreKey)
        {
            var record = KemPreKeyRecord.Generate(Identities.GetIdentityKeyPair(), new KemPreKeyId(_nextId++), isLastResort: false);
            PreKeys.Add(record);
            kem = record.PublicPreKey;
        }

        return new PreKeyBundle(AccountId, IdentityKey, SignedPreKey.PublicPreKey, oneTime, kem, Suites);
    }

    /// <summary>One cipher per contact, kept like the client SDK keeps it (so its cache is exercised).</summary>
    public SessionCipher CipherWith(SessionParty other)
    {
        if (!_ciphers.TryGetValue(other.AccountId, out SessionCipher? cipher))
        {
            cipher = new SessionCipher(Identities, PreKeys, Sessions, other.AccountId);
            _ciphers[other.AccountId] = cipher;
        }

        return cipher;
    }

    private void DropCiphers()
    {
        foreach (SessionCipher cipher in _ciphers.Values)
        {
            cipher.Dispose();
        }

        _ciphers.Clear();
    }

    public void StartSessionWith(SessionParty other, bool oneTimePreKey = true, bool oneTimeKemPreKey = true)
    {
        var builder = new SessionBuilder(Identities, Sessions, other.AccountId);
        Assert.True(builder.TryProcessBundle(other.Bundle(oneTimePreKey, oneTimeKemPreKey), out SessionError error), error.ToString());
    }

    public CiphertextMessage Send(SessionParty to, string text) => CipherWith(to).Encrypt(Encoding.UTF8.GetBytes(text));

    public string Receive(SessionParty from, CiphertextMessage message) => Receive(from, message.ToArray());

    public string Receive(SessionParty from, byte[] message)
    {
        bool ok = CipherWith(from).TryDecrypt(message, out byte[]? plaintext, out SessionError error);
        Assert.True(ok, error.ToString());
        Assert.Equal(SessionError.None, error);
        return Encoding.UTF8.GetString(plaintext!);
    }

    public SessionError Refuse(SessionParty from, byte[] message)
    {
        bool ok = CipherWith(from).TryDecrypt(message, out byte[]? plaintext, out SessionError error);
        Assert.False(ok);
        Assert.Null(plaintext);
        return error;
    }

    public byte[]? SessionBytes(SessionParty with) => Sessions.LoadSession(with.AccountId);

    public void Dispose()
    {
        DropCiphers();
        PreKeys.Dispose();
        Identities.Dispose();
    }
}
