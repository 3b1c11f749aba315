using System.Security.Cryptography;
using Parley.Client.Session;
using Parley.Client.Storage;
using Parley.Crypto.Bundles;
using Parley.Crypto.Keys;

namespace Parley.Client.Identity;

/// <summary>
/// Creates and keeps this device's private keys in the store: the identity key pair, the signed
/// prekey, one-time X25519 prekeys and ML-KEM-1024 prekeys (one last-resort plus one-time ones).
/// Ids are allocated from counters kept in the store so a replenished batch never reuses an id.
/// </summary>
public static class LocalKeys
{
    private const string CounterSpace = "counter";
    private const string CurrentSignedPreKey = "spk-current";

    /// <summary>How long a signed prekey is used before a new one replaces it (the old private key is kept for messages in flight).</summary>
    public static readonly TimeSpan SignedPreKeyLifetime = TimeSpan.FromDays(7);

    /// <summary>The public keys to publish after creating or replenishing.</summary>
    /// <param name="Identity">Our identity key (public).</param>
    /// <param name="SignedPreKey">The signed prekey (public), when a new one was made.</param>
    /// <param name="LastResortKemPreKey">The last-resort ML-KEM prekey (public), when a new one was made.</param>
    /// <param name="OneTimePreKeys">New one-time X25519 prekeys.</param>
    /// <param name="KemPreKeys">New one-time ML-KEM prekeys.</param>
    /// <param name="Suites">The cipher suites we support, signed by the identity key.</param>
    public sealed record PublicKeys(
        IdentityKey Identity,
        SignedSuiteList Suites,
        SignedPreKey? SignedPreKey,
        KemPreKey? LastResortKemPreKey,
        IReadOnlyList<OneTimePreKey> OneTimePreKeys,
        IReadOnlyList<KemPreKey> KemPreKeys);

    /// <summary>Creates a fresh identity with a signed prekey, a last-resort KEM prekey and <paramref name="batch"/> one-time keys of each kind.</summary>
    /// <param name="store">The profile's (new) store.</param>
    /// <param name="batch">How many one-time prekeys of each kind.</param>
    /// <param name="now">The signed prekey's timestamp.</param>
    /// <returns>What to publish.</returns>
    public static PublicKeys CreateIdentity(ClientStore store, int batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var identity = IdentityKeyPair.Generate();
        Put(store, ClientKeyStores.IdentitySpace, "self", identity.SerializePrivate());
        return Republish(store, identity, batch, now);
    }

    /// <summary>
    /// A full publication for an identity the store already holds: a new signed prekey, a new
    /// last-resort ML-KEM prekey and <paramref name="batch"/> one-time keys of each kind (to make this
    /// identity the account's again after another installation replaced it).
    /// </summary>
    /// <param name="store">The profile's store.</param>
    /// <param name="identity">Our identity.</param>
    /// <param name="batch">How many one-time prekeys of each kind.</param>
    /// <param name="now">The signed prekey's timestamp.</param>
    /// <returns>What to publish.</returns>
    public static PublicKeys Republish(ClientStore store, IdentityKeyPair identity, int batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identity);
        using var signed = NewSignedPreKey(store, identity, now);
        using var lastResort = KemPreKeyRecord.Generate(identity, new KemPreKeyId(NextId(store, "kem", 1)), isLastResort: true);
        Put(store, ClientKeyStores.KemPreKeySpace, lastResort.Id.ToString(), lastResort.SerializePrivate());
        var (oneTime, kem) = CreateOneTime(store, identity, batch);
        return new PublicKeys(identity.PublicKey, SignedSuiteList.Create(identity, CipherSuites.All), signed.PublicPreKey, lastResort.PublicPreKey, oneTime, kem);
    }

    /// <summary>Creates <paramref name="count"/> more one-time prekeys of each kind.</summary>
    /// <param name="store">The profile's store.</param>
    /// <param name="identity">Our identity (signs the KEM prekeys).</param>
    /// <param name="count">How many of each kind.</param>
    /// <returns>What to publish.</returns>
    public static PublicKeys Replenish(ClientStore store, IdentityKeyPair identity, int count)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identity);
        var (oneTime, kem) = CreateOneTime(store, identity, count);
        return new PublicKeys(identity.PublicKey, SignedSuiteList.Create(identity, CipherSuites.All), null, null, oneTime, kem);
    }

    /// <summary>
    /// Makes a new signed prekey when the current one is older than <see cref="SignedPreKeyLifetime"/>
    /// (or its creation time is unknown); returns its public part to publish, or null when still fresh.
    /// </summary>
    /// <param name="store">The profile's store.</param>
    /// <param name="identity">Our identity (signs the prekey).</param>
    /// <param name="now">The current time.</param>
    /// <returns>The new signed prekey, or null.</returns>
    public static SignedPreKey? RotateSignedPreKeyIfDue(ClientStore store, IdentityKeyPair identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identity);
        var current = store.GetSecret(CounterSpace, CurrentSignedPreKey);
        if (current is { Length: 8 })
        {
            var created = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(current), 0, 253402300799999));
            if (now - created < SignedPreKeyLifetime && created <= now)
            {
                return null;
            }
        }

        SignedPreKey? result = null;
        store.InTransaction(() =>
        {
            using var record = NewSignedPreKey(store, identity, now);
            result = record.PublicPreKey;
        });
        return result;
    }

    private static SignedPreKeyRecord NewSignedPreKey(ClientStore store, IdentityKeyPair identity, DateTimeOffset now)
    {
        var record = SignedPreKeyRecord.Generate(identity, new SignedPreKeyId(NextId(store, "spk", 1)), now);
        Put(store, ClientKeyStores.SignedPreKeySpace, record.Id.ToString(), record.SerializePrivate());
        var created = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(created, now.ToUnixTimeMilliseconds());
        store.PutSecret(CounterSpace, CurrentSignedPreKey, created);
        return record;
    }

    private static (List<OneTimePreKey>, List<KemPreKey>) CreateOneTime(ClientStore store, IdentityKeyPair identity, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1000);
        var oneTime = new List<OneTimePreKey>(count);
        var kem = new List<KemPreKey>(count);
        store.InTransaction(() =>
        {
            var firstOneTime = NextId(store, "otpk", count);
            var firstKem = NextId(store, "kem", count);
            for (var i = 0; i < count; i++)
            {
                using var record = OneTimePreKeyRecord.Generate(new PreKeyId(firstOneTime + (uint)i));
                Put(store, ClientKeyStores.OneTimePreKeySpace, record.Id.ToString(), record.SerializePrivate());
                oneTime.Add(record.PublicPreKey);
                using var kemRecord = KemPreKeyRecord.Generate(identity, new KemPreKeyId(firstKem + (uint)i), isLastResort: false);
                Put(store, ClientKeyStores.KemPreKeySpace, kemRecord.Id.ToString(), kemRecord.SerializePrivate());
                kem.Add(kemRecord.PublicPreKey);
            }
        });
        return (oneTime, kem);
    }

    /// <summary>Reserves <paramref name="count"/> ids and returns the first (ids start at 1).</summary>
    private static uint NextId(ClientStore store, string counter, int count)
    {
        var raw = store.GetSecret(CounterSpace, counter);
        var next = raw is { Length: 4 } ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(raw) : 1u;
        var after = checked(next + (uint)count);
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, after);
        store.PutSecret(CounterSpace, counter, bytes);
        return next;
    }

    private static void Put(ClientStore store, string space, string name, byte[] secret)
    {
        try
        {
            store.PutSecret(space, name, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
