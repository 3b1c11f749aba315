using Parley.Crypto.Keys;

namespace Parley.Crypto.Session;

/// <summary>An <see cref="IPreKeyStore"/> in process memory, for tests and tools. It owns the records added to it.</summary>
public sealed class InMemoryPreKeyStore : IPreKeyStore, IDisposable
{
    private readonly Dictionary<SignedPreKeyId, SignedPreKeyRecord> _signed = [];
    private readonly Dictionary<PreKeyId, OneTimePreKeyRecord> _oneTime = [];
    private readonly Dictionary<KemPreKeyId, KemPreKeyRecord> _kem = [];
    private readonly HashSet<string> _baseKeys = new(StringComparer.Ordinal);

    /// <summary>Number of one-time X25519 prekeys left.</summary>
    public int OneTimePreKeyCount => _oneTime.Count;

    /// <summary>Number of ML-KEM prekeys left (one-time and last-resort).</summary>
    public int KemPreKeyCount => _kem.Count;

    /// <summary>Adds a signed prekey (the store takes ownership).</summary>
    /// <param name="record">The record.</param>
    public void Add(SignedPreKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _signed[record.Id] = record;
    }

    /// <summary>Adds a one-time prekey (the store takes ownership).</summary>
    /// <param name="record">The record.</param>
    public void Add(OneTimePreKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _oneTime[record.Id] = record;
    }

    /// <summary>Adds an ML-KEM prekey (the store takes ownership).</summary>
    /// <param name="record">The record.</param>
    public void Add(KemPreKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _kem[record.Id] = record;
    }

    /// <inheritdoc/>
    public SignedPreKeyRecord? GetSignedPreKey(SignedPreKeyId id) => _signed.GetValueOrDefault(id);

    /// <inheritdoc/>
    public OneTimePreKeyRecord? GetOneTimePreKey(PreKeyId id) => _oneTime.GetValueOrDefault(id);

    /// <inheritdoc/>
    public void RemoveOneTimePreKey(PreKeyId id)
    {
        if (_oneTime.Remove(id, out OneTimePreKeyRecord? record))
        {
            record.Dispose();
        }
    }

    /// <inheritdoc/>
    public KemPreKeyRecord? GetKemPreKey(KemPreKeyId id) => _kem.GetValueOrDefault(id);

    /// <inheritdoc/>
    public void RemoveKemPreKey(KemPreKeyId id)
    {
        if (_kem.Remove(id, out KemPreKeyRecord? record))
        {
            record.Dispose();
        }
    }

    /// <inheritdoc/>
    public bool IsBaseKeyUsed(ReadOnlySpan<byte> baseKey) => _baseKeys.Contains(Convert.ToHexString(baseKey));

    /// <inheritdoc/>
    public void MarkBaseKeyUsed(ReadOnlySpan<byte> baseKey) => _baseKeys.Add(Convert.ToHexString(baseKey));

    /// <summary>Wipes every private prekey.</summary>
    public void Dispose()
    {
        foreach (IDisposable record in _signed.Values.Cast<IDisposable>().Concat(_oneTime.Values).Concat(_kem.Values))
        {
            record.Dispose();
        }

        _signed.Clear();
        _oneTime.Clear();
        _kem.Clear();
    }
}
