namespace Parley.Crypto.Auth;

/// <summary>
/// An SRP exchange failed: an illegal public value (A or B ≡ 0 mod N, u = 0), a wrong proof, or a
/// malformed encoding. The message never contains the values involved.
/// </summary>
public sealed class SrpException : Exception
{
    /// <summary>Creates the exception with a fixed message.</summary>
    public SrpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SrpException()
        : base("SRP exchange failed.")
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public SrpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
