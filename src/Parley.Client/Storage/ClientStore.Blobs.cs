namespace Parley.Client.Storage;

/// <summary>Sealed named values: identity keys, prekeys, session states, the server token.</summary>
public sealed partial class ClientStore
{
    /// <summary>Stores (or replaces) a sealed value under a namespace and a name.</summary>
    /// <param name="space">A fixed namespace such as <c>session</c> or <c>prekey</c>.</param>
    /// <param name="name">The name within it (a user name, a key id); it is stored only as a keyed tag.</param>
    /// <param name="value">The secret bytes.</param>
    public void PutSecret(string space, string name, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        ArgumentNullException.ThrowIfNull(name);
        var tag = _sealer.LookupTag(space + "\0" + name);
        using var cmd = Command("INSERT INTO blobs (ns, tag, value) VALUES ($ns, $tag, $v) ON CONFLICT (ns, tag) DO UPDATE SET value = excluded.value");
        cmd.Parameters.AddWithValue("$ns", space);
        cmd.Parameters.AddWithValue("$tag", tag);
        cmd.Parameters.AddWithValue("$v", _sealer.Seal(value, BlobLocation(space, tag)));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Reads a sealed value, or null when absent.</summary>
    /// <param name="space">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <returns>The bytes (the caller wipes them when secret), or null.</returns>
    public byte[]? GetSecret(string space, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        ArgumentNullException.ThrowIfNull(name);
        var tag = _sealer.LookupTag(space + "\0" + name);
        using var cmd = Command("SELECT value FROM blobs WHERE ns = $ns AND tag = $tag");
        cmd.Parameters.AddWithValue("$ns", space);
        cmd.Parameters.AddWithValue("$tag", tag);
        return cmd.ExecuteScalar() is byte[] sealedValue ? _sealer.Open(sealedValue, BlobLocation(space, tag)) : null;
    }

    /// <summary>Removes a sealed value; removing a missing one is not an error.</summary>
    /// <param name="space">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <returns>Whether a value was removed.</returns>
    public bool RemoveSecret(string space, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        ArgumentNullException.ThrowIfNull(name);
        using var cmd = Command("DELETE FROM blobs WHERE ns = $ns AND tag = $tag");
        cmd.Parameters.AddWithValue("$ns", space);
        cmd.Parameters.AddWithValue("$tag", _sealer.LookupTag(space + "\0" + name));
        return cmd.ExecuteNonQuery() > 0;
    }

    /// <summary>Counts the values in a namespace (e.g. remaining one-time prekeys).</summary>
    /// <param name="space">The namespace.</param>
    /// <returns>The count.</returns>
    public int CountSecrets(string space)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        using var cmd = Command("SELECT COUNT(*) FROM blobs WHERE ns = $ns");
        cmd.Parameters.AddWithValue("$ns", space);
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string BlobLocation(string space, byte[] tag) => "blobs/" + space + "/" + Convert.ToHexString(tag);

    /// <summary>Lists every value in a namespace (names are stored only as tags, so the caller keys values by their content).</summary>
    /// <param name="space">The namespace.</param>
    /// <returns>Pairs of opaque tag and opened value.</returns>
    public IReadOnlyList<(byte[] Tag, byte[] Value)> ListSecrets(string space)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        var result = new List<(byte[], byte[])>();
        using var cmd = Command("SELECT tag, value FROM blobs WHERE ns = $ns ORDER BY rowid"); // insertion order: held messages are released in arrival order
        cmd.Parameters.AddWithValue("$ns", space);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var tag = (byte[])reader["tag"];
            result.Add((tag, _sealer.Open((byte[])reader["value"], BlobLocation(space, tag))));
        }

        return result;
    }

    /// <summary>Removes a value by the tag <see cref="ListSecrets"/> returned.</summary>
    /// <param name="space">The namespace.</param>
    /// <param name="tag">The opaque tag.</param>
    public void RemoveSecretByTag(string space, byte[] tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        using var cmd = Command("DELETE FROM blobs WHERE ns = $ns AND tag = $tag");
        cmd.Parameters.AddWithValue("$ns", space);
        cmd.Parameters.AddWithValue("$tag", tag);
        cmd.ExecuteNonQuery();
    }
}
