namespace Parley.Crypto;

/// <summary>
/// Base of Parley.Crypto's small exception hierarchy: an expected cryptographic failure (a signature
/// that does not verify, a key that is not acceptable, an agreement whose inputs do not match).
/// Messages never carry key bytes, plaintext or account names.
/// </summary>
public class CryptoException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public CryptoException()
        : base("A cryptographic operation failed.")
    {
    }

    /// <summary>Creates the exception with a message that must not contain secrets or user data.</summary>
    /// <param name="message">A fixed, data-free description.</param>
    public CryptoException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">A fixed, data-free description.</param>
    /// <param name="innerException">The underlying failure.</param>
    public CryptoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
