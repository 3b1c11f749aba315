namespace Parley.Crypto.Primitives;

/// <summary>The AEADs Parley uses; the numeric values appear on the wire inside cipher suites.</summary>
public enum AeadAlgorithm : byte
{
    /// <summary>ChaCha20-Poly1305 (RFC 8439): 32-byte key, 12-byte nonce, 16-byte tag.</summary>
    ChaCha20Poly1305 = 1,

    /// <summary>AES-256-GCM: 32-byte key, 12-byte nonce, 16-byte tag.</summary>
    Aes256Gcm = 2,
}
