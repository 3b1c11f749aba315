using System.Security.Cryptography;

namespace Parley.Crypto.Primitives;

/// <summary>
/// Authenticated encryption over System.Security.Cryptography (OpenSSL here). Only the parameters
/// the protocol uses are accepted: a 32-byte key, a 12-byte nonce and a full 16-byte tag appended
/// to the ciphertext. Anything else is refused rather than silently supported.
/// </summary>
public static class Aead
{
    /// <summary>Key length in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceSize = 12;

    /// <summary>Tag length in bytes; the tag follows the ciphertext.</summary>
    public const int TagSize = 16;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="output"/> as ciphertext || tag.
    /// </summary>
    /// <param name="algorithm">Which AEAD.</param>
    /// <param name="key">32-byte key.</param>
    /// <param name="nonce">12-byte nonce, never reused with the same key.</param>
    /// <param name="plaintext">The message.</param>
    /// <param name="associatedData">Authenticated, unencrypted data.</param>
    /// <param name="output">Exactly <c>plaintext.Length + 16</c> bytes.</param>
    /// <exception cref="ArgumentException">A size is not the protocol's.</exception>
    public static void Seal(
        AeadAlgorithm algorithm,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> associatedData,
        Span<byte> output)
    {
        CheckParameters(key, nonce);
        if (output.Length != plaintext.Length + TagSize)
        {
            throw new ArgumentException("The output must be the plaintext length plus 16.", nameof(output));
        }

        var ciphertext = output[..plaintext.Length];
        var tag = output[plaintext.Length..];
        switch (algorithm)
        {
            case AeadAlgorithm.ChaCha20Poly1305:
                using (var chacha = new ChaCha20Poly1305(key))
                {
                    chacha.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
                }

                break;
            case AeadAlgorithm.Aes256Gcm:
                using (var gcm = new AesGcm(key, TagSize))
                {
                    gcm.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }

    /// <summary>
    /// Authenticates and decrypts ciphertext || tag into <paramref name="plaintext"/>. Returns false
    /// (and zeroes <paramref name="plaintext"/>) for a short input or a tag that does not verify.
    /// </summary>
    /// <param name="algorithm">Which AEAD.</param>
    /// <param name="key">32-byte key.</param>
    /// <param name="nonce">12-byte nonce.</param>
    /// <param name="ciphertextAndTag">Untrusted ciphertext followed by its 16-byte tag.</param>
    /// <param name="associatedData">Authenticated, unencrypted data.</param>
    /// <param name="plaintext">Exactly <c>ciphertextAndTag.Length - 16</c> bytes.</param>
    /// <exception cref="ArgumentException">The key, nonce or output size is not the protocol's.</exception>
    public static bool TryOpen(
        AeadAlgorithm algorithm,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> ciphertextAndTag,
        ReadOnlySpan<byte> associatedData,
        Span<byte> plaintext)
    {
        CheckParameters(key, nonce);
        if (ciphertextAndTag.Length < TagSize)
        {
            return false;
        }

        var length = ciphertextAndTag.Length - TagSize;
        if (plaintext.Length != length)
        {
            throw new ArgumentException("The plaintext buffer must be the input length minus 16.", nameof(plaintext));
        }

        var ciphertext = ciphertextAndTag[..length];
        var tag = ciphertextAndTag[length..];
        try
        {
            switch (algorithm)
            {
                case AeadAlgorithm.ChaCha20Poly1305:
                    using (var chacha = new ChaCha20Poly1305(key))
                    {
                        chacha.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
                    }

                    break;
                case AeadAlgorithm.Aes256Gcm:
                    using (var gcm = new AesGcm(key, TagSize))
                    {
                        gcm.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(algorithm));
            }
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }

        return true;
    }

    private static void CheckParameters(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException("An AEAD key is 32 bytes.", nameof(key));
        }

        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException("An AEAD nonce is 12 bytes.", nameof(nonce));
        }
    }
}
