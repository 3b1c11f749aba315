namespace Parley.Crypto.Agreement;

/// <summary>Why a key agreement was refused. The values say which check failed, never any data.</summary>
public enum AgreementFailure
{
    /// <summary>A bundle signature (signed prekey, KEM prekey or suite list) did not verify.</summary>
    InvalidBundle = 1,

    /// <summary>The suite is unknown, not supported locally, or not in the responder's signed list.</summary>
    UnsupportedSuite = 2,

    /// <summary>A peer public key was unacceptable (low-order X25519 point, malformed ML-KEM key).</summary>
    InvalidPublicKey = 3,

    /// <summary>The header names prekeys other than the ones supplied to the responder.</summary>
    PreKeyMismatch = 4,

    /// <summary>The KEM ciphertext could not be decapsulated.</summary>
    InvalidKemCiphertext = 5,
}

/// <summary>A key agreement was refused; nothing was derived and no state changed.</summary>
public sealed class AgreementException : CryptoException
{
    /// <summary>Creates the exception for <paramref name="failure"/>.</summary>
    /// <param name="failure">Which check failed.</param>
    public AgreementException(AgreementFailure failure)
        : base("The key agreement was refused: " + failure + ".")
    {
        Failure = failure;
    }

    /// <summary>Creates the exception with a generic reason.</summary>
    public AgreementException()
        : this(AgreementFailure.InvalidBundle)
    {
    }

    /// <summary>Creates the exception with a data-free message.</summary>
    /// <param name="message">A fixed description.</param>
    public AgreementException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a data-free message and cause.</summary>
    /// <param name="message">A fixed description.</param>
    /// <param name="innerException">The cause.</param>
    public AgreementException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Which check failed.</summary>
    public AgreementFailure Failure { get; }
}
