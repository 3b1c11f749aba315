namespace Parley.Crypto.Keys;

/// <summary>Identifies a one-time X25519 prekey among those an account has published.</summary>
/// <param name="Value">The id as carried on the wire (4 bytes, big-endian).</param>
public readonly record struct PreKeyId(uint Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Identifies a signed X25519 prekey among those an account has published.</summary>
/// <param name="Value">The id as carried on the wire (4 bytes, big-endian).</param>
public readonly record struct SignedPreKeyId(uint Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Identifies an ML-KEM-1024 prekey (one-time or last-resort) among those an account has published.</summary>
/// <param name="Value">The id as carried on the wire (4 bytes, big-endian).</param>
public readonly record struct KemPreKeyId(uint Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
