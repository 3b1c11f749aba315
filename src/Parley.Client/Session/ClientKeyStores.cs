using Parley.Client.Contacts;
using Parley.Client.Storage;
using Parley.Crypto.Keys;
using Parley.Crypto.Session;

namespace Parley.Client.Session;

/// <summary>
/// The session layer's store interfaces over the encrypted <see cref="ClientStore"/>: our identity
/// and prekeys, contacts' pinned identity keys, and session records — all sealed at rest. Parsed
/// private records are cached here (the interfaces say the store keeps ownership) and wiped on
/// dispose.
/// </summary>
public sealed class ClientKeyStores : IIdentityStore, IPreKeyStore, ISessionStore, IDisposable
{
    internal const string IdentitySpace = "identity";
    internal const string SignedPreKeySpace = "spk";
    internal const string OneTimePreKeySpace = "otpk";
    internal const string KemPreKeySpace = "kem";
    internal const string BaseKeySpace = "basekey";
    internal const string SessionSpace = "session";

    private readonly ClientStore _store;
    private readonly IdentityKeyPair _identity;
    private readonly List<IDisposable> _loaded = [];

    /// <summary>Opens the key stores of a profile whose identity was created already.</summary>
    /// <param name="store">The profile's store.</param>
    /// <param name="localAccountId">Our normalized user name.</param>
    public ClientKeyStores(ClientStore store, string localAccountId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(localAccountId);
        _store = store;
        LocalAccountId = localAccountId;
        var raw = store.GetSecret(IdentitySpace, "self") ?? throw new Errors.ParleyClientException(Errors.ClientErrorKind.StoreCorrupt);
        try
        {
            if (!IdentityKeyPair.TryParsePrivate(raw, out var identity))
            {
                throw new Errors.ParleyClientException(Errors.ClientErrorKind.StoreCorrupt);
            }

            _identity = identity;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <inheritdoc />
    public string LocalAccountId { get; }

    /// <inheritdoc />
    public IdentityKeyPair GetIdentityKeyPair() => _identity;

    /// <inheritdoc />
    public IdentityKey? GetRemoteIdentity(string accountId)
    {
        var pinned = _store.GetContact(accountId)?.IdentityKey;
        return pinned is not null && IdentityKey.TryParse(pinned, out var key) ? key : null;
    }

    /// <inheritdoc />
    public void SaveRemoteIdentity(string accountId, IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var contact = _store.GetContact(accountId) ?? new Contact { UserName = accountId, State = ContactState.None };
        var serialized = identityKey.Serialize();
        if (contact.ChangedIdentityKey is not null && contact.ChangedIdentityKey.AsSpan().SequenceEqual(serialized))
        {
            contact.ChangedIdentityKey = null;
        }

        contact.IdentityKey = serialized;
        _store.PutContact(contact);
    }

    /// <inheritdoc />
    public SignedPreKeyRecord? GetSignedPreKey(SignedPreKeyId id) =>
        Load(SignedPreKeySpace, id.ToString(), bytes => SignedPreKeyRecord.TryParsePrivate(bytes, out var r) ? r : null);

    /// <inheritdoc />
    public OneTimePreKeyRecord? GetOneTimePreKey(PreKeyId id) =>
        Load(OneTimePreKeySpace, id.ToString(), bytes => OneTimePreKeyRecord.TryParsePrivate(bytes, out var r) ? r : null);

    /// <inheritdoc />
    public void RemoveOneTimePreKey(PreKeyId id) => _store.RemoveSecret(OneTimePreKeySpace, id.ToString());

    /// <inheritdoc />
    public KemPreKeyRecord? GetKemPreKey(KemPreKeyId id) =>
        Load(KemPreKeySpace, id.ToString(), bytes => KemPreKeyRecord.TryParsePrivate(bytes, out var r) ? r : null);

    /// <inheritdoc />
    public void RemoveKemPreKey(KemPreKeyId id) => _store.RemoveSecret(KemPreKeySpace, id.ToString());

    /// <inheritdoc />
    public bool IsBaseKeyUsed(ReadOnlySpan<byte> baseKey) => _store.GetSecret(BaseKeySpace, Convert.ToHexString(baseKey)) is not null;

    /// <inheritdoc />
    public void MarkBaseKeyUsed(ReadOnlySpan<byte> baseKey) => _store.PutSecret(BaseKeySpace, Convert.ToHexString(baseKey), [1]);

    /// <inheritdoc />
    public byte[]? LoadSession(string remoteAccountId) => _store.GetSecret(SessionSpace, remoteAccountId);

    /// <inheritdoc />
    public void StoreSession(string remoteAccountId, byte[] record) => _store.PutSecret(SessionSpace, remoteAccountId, record);

    /// <summary>Forgets the session with a contact (after accepting their new identity key).</summary>
    /// <param name="remoteAccountId">The contact.</param>
    public void DeleteSession(string remoteAccountId) => _store.RemoveSecret(SessionSpace, remoteAccountId);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var item in _loaded)
        {
            item.Dispose();
        }

        _loaded.Clear();
        _identity.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(ClientKeyStores);

    private T? Load<T>(string space, string name, Func<byte[], T?> parse)
        where T : class, IDisposable
    {
        var raw = _store.GetSecret(space, name);
        if (raw is null)
        {
            return null;
        }

        try
        {
            var record = parse(raw) ?? throw new Errors.ParleyClientException(Errors.ClientErrorKind.StoreCorrupt);
            _loaded.Add(record);
            return record;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        }
    }
}
