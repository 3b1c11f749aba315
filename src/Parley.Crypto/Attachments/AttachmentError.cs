namespace Parley.Crypto.Attachments;

/// <summary>Why an encrypted attachment was rejected. No plaintext from a rejected blob may be kept.</summary>
public enum AttachmentError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The header is missing, has an unknown version or suite, or an unsupported chunk size.</summary>
    InvalidHeader = 1,

    /// <summary>A chunk failed authentication: modified, reordered, from another file or key, or cut mid-chunk.</summary>
    ChunkAuthenticationFailed = 2,

    /// <summary>The blob ends before its final chunk (cut at a chunk boundary).</summary>
    Truncated = 3,

    /// <summary>Bytes follow the final chunk.</summary>
    TrailingData = 4,

    /// <summary>The SHA-256 of the ciphertext differs from the digest in the file pointer.</summary>
    DigestMismatch = 5,
}

/// <summary>
/// Thrown by <see cref="AttachmentDecryptingStream"/> when the blob is corrupt. The message is generic;
/// <see cref="Error"/> says which check failed.
/// </summary>
public sealed class AttachmentCorruptException : CryptoException
{
    /// <summary>Creates the exception for a given failure.</summary>
    /// <param name="error">The failed check.</param>
    public AttachmentCorruptException(AttachmentError error)
        : base("The encrypted attachment is corrupt.") => Error = error;

    /// <summary>Creates the exception with a generic error.</summary>
    public AttachmentCorruptException()
        : this(AttachmentError.ChunkAuthenticationFailed)
    {
    }

    /// <summary>Creates the exception with a message (no user data).</summary>
    /// <param name="message">A fixed description.</param>
    public AttachmentCorruptException(string message)
        : base(message) => Error = AttachmentError.ChunkAuthenticationFailed;

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">A fixed description.</param>
    /// <param name="innerException">The cause.</param>
    public AttachmentCorruptException(string message, Exception innerException)
        : base(message, innerException) => Error = AttachmentError.ChunkAuthenticationFailed;

    /// <summary>The check that failed.</summary>
    public AttachmentError Error { get; }
}
