using Parley.Crypto.Primitives;

namespace Parley.Crypto.Attachments;

/// <summary>What encrypting an attachment produced: sizes and the ciphertext digest for the file pointer.</summary>
/// <param name="PlaintextLength">Plaintext bytes read.</param>
/// <param name="CiphertextLength">Ciphertext bytes written.</param>
/// <param name="CiphertextSha256">SHA-256 of the complete ciphertext (32 bytes).</param>
public sealed record AttachmentEncryptionResult(long PlaintextLength, long CiphertextLength, byte[] CiphertextSha256);

/// <summary>
/// Whole-stream helpers over <see cref="AttachmentEncryptingStream"/> and
/// <see cref="AttachmentDecryptingStream"/>: Stream in, Stream out, constant memory.
/// </summary>
public static class AttachmentCipher
{
    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/>.</summary>
    /// <param name="plaintext">Readable source.</param>
    /// <param name="ciphertext">Writable destination.</param>
    /// <param name="key">The file's fresh key.</param>
    /// <param name="algorithm">The AEAD of the conversation's suite.</param>
    /// <param name="chunkSize">Plaintext bytes per chunk.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public static async Task<AttachmentEncryptionResult> EncryptAsync(Stream plaintext, Stream ciphertext, AttachmentKey key,
        AeadAlgorithm algorithm = AeadAlgorithm.ChaCha20Poly1305, int chunkSize = AttachmentFormat.DefaultChunkSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var encrypting = new AttachmentEncryptingStream(plaintext, key, algorithm, chunkSize, leaveOpen: true);
        await using (encrypting.ConfigureAwait(false))
        {
            await encrypting.CopyToAsync(ciphertext, chunkSize + AttachmentFormat.TagLength, cancellationToken).ConfigureAwait(false);
            return new AttachmentEncryptionResult(encrypting.PlaintextLength, encrypting.Position, encrypting.GetCiphertextSha256());
        }
    }

    /// <summary>
    /// Decrypts and verifies <paramref name="ciphertext"/> into <paramref name="plaintext"/>. On failure the
    /// destination holds unverified partial output that the caller must discard.
    /// </summary>
    /// <param name="ciphertext">Readable encrypted blob.</param>
    /// <param name="plaintext">Writable destination (a temporary file until this returns None).</param>
    /// <param name="key">The key from the file pointer.</param>
    /// <param name="expectedSha256">The ciphertext digest from the file pointer, or null.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns><see cref="AttachmentError.None"/> when every check passed, otherwise the failed check.</returns>
    public static async Task<AttachmentError> DecryptAsync(Stream ciphertext, Stream plaintext, AttachmentKey key,
        byte[]? expectedSha256 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var decrypting = new AttachmentDecryptingStream(ciphertext, key, expectedSha256, leaveOpen: true);
        await using (decrypting.ConfigureAwait(false))
        {
            try
            {
                await decrypting.CopyToAsync(plaintext, AttachmentFormat.DefaultChunkSize, cancellationToken).ConfigureAwait(false);
                return AttachmentError.None;
            }
            catch (AttachmentCorruptException e)
            {
                return e.Error;
            }
        }
    }
}
