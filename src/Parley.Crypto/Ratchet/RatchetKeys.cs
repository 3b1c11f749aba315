using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Ratchet;

/// <summary>
/// The Double Ratchet's root key: 32 secret bytes, advanced by every DH ratchet step with
/// KDF_RK = HKDF-SHA256(salt = root key, ikm = DH output, info = "Parley v1 ratchet root").
/// </summary>
public sealed class RootKey : IDisposable
{
    /// <summary>Length in bytes.</summary>
    public const int Length = 32;

    private static ReadOnlySpan<byte> RootInfo => "Parley v1 ratchet root"u8;

    private readonly byte[] _key;

    private RootKey(byte[] key) => _key = key;

    /// <summary>Creates a root key from 32 secret bytes, e.g. the hybrid agreement's shared secret.</summary>
    /// <param name="key">Exactly 32 bytes; copied.</param>
    public static RootKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException("A root key is 32 bytes.", nameof(key));
        }

        return new RootKey(key.ToArray());
    }

    internal ReadOnlySpan<byte> Span => _key;

    /// <summary>KDF_RK: derives the next root key and a new chain key from a DH output.</summary>
    internal (RootKey Root, ChainKey Chain) Advance(ReadOnlySpan<byte> dhOutput)
    {
        Span<byte> output = stackalloc byte[2 * Length];
        Kdf.Hkdf(dhOutput, _key, RootInfo, output);
        var result = (new RootKey(output[..Length].ToArray()), new ChainKey(output[Length..].ToArray(), 0));
        CryptographicOperations.ZeroMemory(output);
        return result;
    }

    /// <summary>Wipes the key.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    /// <inheritdoc/>
    public override string ToString() => nameof(RootKey);
}

/// <summary>
/// A sending or receiving chain key with the index of the next message it produces. KDF_CK:
/// message key = HMAC-SHA256(chain key, 0x01), next chain key = HMAC-SHA256(chain key, 0x02).
/// Immutable: stepping returns new objects, so a failed decryption leaves the old chain untouched.
/// </summary>
public sealed class ChainKey : IDisposable
{
    /// <summary>Length in bytes.</summary>
    public const int Length = 32;

    private static ReadOnlySpan<byte> MessageKeyConstant => [0x01];

    private static ReadOnlySpan<byte> ChainKeyConstant => [0x02];

    private readonly byte[] _key;

    internal ChainKey(byte[] key, uint index)
    {
        _key = key;
        Index = index;
    }

    /// <summary>Number of the next message this chain produces.</summary>
    public uint Index { get; }

    internal ReadOnlySpan<byte> Span => _key;

    /// <summary>The message key for message <see cref="Index"/>.</summary>
    internal MessageKey MessageKey()
    {
        byte[] mk = new byte[MessageKeyLength];
        Kdf.Hmac(_key, MessageKeyConstant, mk);
        return new MessageKey(mk, Index);
    }

    /// <summary>The chain key for message <see cref="Index"/> + 1.</summary>
    internal ChainKey Next()
    {
        byte[] next = new byte[Length];
        Kdf.Hmac(_key, ChainKeyConstant, next);
        return new ChainKey(next, Index + 1);
    }

    private const int MessageKeyLength = Ratchet.MessageKey.Length;

    /// <summary>Wipes the key.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    /// <inheritdoc/>
    public override string ToString() => nameof(ChainKey);
}

/// <summary>
/// The single-use key of one message. Expanded with HKDF-SHA256(ikm = message key, salt = none,
/// info = "Parley v1 message keys") into a 32-byte AEAD key and a 12-byte nonce; deleted after use.
/// </summary>
public sealed class MessageKey : IDisposable
{
    /// <summary>Length in bytes.</summary>
    public const int Length = 32;

    private static ReadOnlySpan<byte> ExpandInfo => "Parley v1 message keys"u8;

    private readonly byte[] _key;

    internal MessageKey(byte[] key, uint index)
    {
        _key = key;
        Index = index;
    }

    /// <summary>The number of the message this key belongs to.</summary>
    public uint Index { get; }

    internal ReadOnlySpan<byte> Span => _key;

    /// <summary>Expands into AEAD key (32 bytes) || nonce (12 bytes).</summary>
    internal void Expand(Span<byte> keyAndNonce44) => Kdf.Hkdf(_key, default, ExpandInfo, keyAndNonce44);

    /// <summary>Wipes the key.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    /// <inheritdoc/>
    public override string ToString() => nameof(MessageKey);
}
