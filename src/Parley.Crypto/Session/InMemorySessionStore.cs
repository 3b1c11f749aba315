namespace Parley.Crypto.Session;

/// <summary>An <see cref="ISessionStore"/> in process memory, for tests and tools.</summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Dictionary<string, byte[]> _sessions = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public byte[]? LoadSession(string remoteAccountId) =>
        _sessions.TryGetValue(remoteAccountId, out byte[]? record) ? (byte[])record.Clone() : null;

    /// <inheritdoc/>
    public void StoreSession(string remoteAccountId, byte[] record)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteAccountId);
        ArgumentNullException.ThrowIfNull(record);
        _sessions[remoteAccountId] = (byte[])record.Clone();
    }
}
