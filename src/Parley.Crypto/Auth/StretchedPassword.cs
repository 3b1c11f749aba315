using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Parley.Crypto.Auth;

/// <summary>
/// A password stretched with Argon2id — the SRP password. Secret: sealed, wiped on dispose, never
/// printed. Computing it is deliberately slow (≈ 170 ms at the default cost).
/// </summary>
public sealed class StretchedPassword : IDisposable
{
    private readonly byte[] bytes;
    private bool disposed;

    private StretchedPassword(byte[] bytes) => this.bytes = bytes;

    /// <summary>
    /// Argon2id(UTF-8 password, salt, parameters) with a 32-byte output. Throws
    /// <see cref="ArgumentException"/> for a salt that is not 16 bytes or parameters out of bounds.
    /// </summary>
    public static StretchedPassword Derive(string password, ReadOnlySpan<byte> salt, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(parameters);
        if (salt.Length != Argon2Parameters.SaltLength)
        {
            throw new ArgumentException($"The Argon2 salt must be {Argon2Parameters.SaltLength} bytes.", nameof(salt));
        }
        if (!parameters.IsWithinBounds)
        {
            throw new ArgumentException("Argon2 parameters are out of bounds.", nameof(parameters));
        }
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new NSec.Cryptography.Argon2Parameters
        {
            DegreeOfParallelism = parameters.Parallelism,
            MemorySize = parameters.MemoryKiB,
            NumberOfPasses = parameters.Iterations,
        });
        var utf8 = Encoding.UTF8.GetBytes(password);
        try
        {
            var output = new byte[Argon2Parameters.OutputLength];
            algorithm.DeriveBytes(utf8, salt, output);
            return new StretchedPassword(output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>The 32 stretched bytes; valid until disposed.</summary>
    internal byte[] Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return bytes;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(bytes);
        disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => nameof(StretchedPassword);
}
