using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Ratchet;

/// <summary>
/// Our current ratchet key pair. A state loaded from storage keeps the private key as bytes and
/// imports it into libsodium only when a DH ratchet step needs it, so loading a session (the client
/// does it for every message) costs no scalar multiplication.
/// </summary>
internal sealed class RatchetKeyPair : IDisposable
{
    internal const int KeyLength = 32;

    private readonly byte[] _publicKey;
    private readonly byte[] _privateKey;
    private X25519KeyPair? _pair;

    private RatchetKeyPair(byte[] publicKey, byte[] privateKey, X25519KeyPair? pair)
    {
        _publicKey = publicKey;
        _privateKey = privateKey;
        _pair = pair;
    }

    internal ReadOnlySpan<byte> PublicKey => _publicKey;

    internal ReadOnlySpan<byte> PrivateKey => _privateKey;

    internal static RatchetKeyPair Generate() => Own(X25519KeyPair.Generate());

    /// <summary>Copies <paramref name="pair"/>; the caller keeps ownership of it.</summary>
    internal static RatchetKeyPair CopyOf(X25519KeyPair pair)
    {
        byte[] privateKey = new byte[KeyLength];
        pair.ExportPrivateKey(privateKey);
        return new RatchetKeyPair(pair.PublicKey.ToArray(), privateKey, null);
    }

    /// <summary>Restores a pair from stored bytes without any computation.</summary>
    internal static RatchetKeyPair FromStored(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> privateKey) =>
        new(publicKey.ToArray(), privateKey.ToArray(), null);

    internal bool TryAgree(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        _pair ??= X25519KeyPair.FromPrivateKey(_privateKey);
        return _pair.TryAgree(peerPublicKey, sharedSecret);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_privateKey);
        _pair?.Dispose();
    }

    private static RatchetKeyPair Own(X25519KeyPair pair)
    {
        byte[] privateKey = new byte[KeyLength];
        pair.ExportPrivateKey(privateKey);
        return new RatchetKeyPair(pair.PublicKey.ToArray(), privateKey, pair);
    }
}
