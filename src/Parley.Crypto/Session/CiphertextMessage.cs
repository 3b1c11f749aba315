namespace Parley.Crypto.Session;

/// <summary>The kind of an encrypted message.</summary>
public enum CiphertextMessageType : byte
{
    /// <summary>Carries the agreement header: sent by the initiator until the responder has answered.</summary>
    PreKey = 1,

    /// <summary>An ordinary Double Ratchet message.</summary>
    Ratchet = 2,
}

/// <summary>An encrypted message ready for the relay: its type and its wire bytes (docs/PROTOCOL.md section 6).</summary>
public sealed class CiphertextMessage
{
    private readonly byte[] _bytes;

    internal CiphertextMessage(CiphertextMessageType type, byte[] bytes)
    {
        Type = type;
        _bytes = bytes;
    }

    /// <summary>PreKey or Ratchet; also the third byte of <see cref="Bytes"/>.</summary>
    public CiphertextMessageType Type { get; }

    /// <summary>The complete wire encoding.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>A copy of the wire encoding.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc/>
    public override string ToString() => $"{nameof(CiphertextMessage)}({Type}, {_bytes.Length} bytes)";
}
