using Parley.Crypto.Keys;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Bundles;

/// <summary>
/// A complete algorithm choice for a session; its id is carried in the first message and in every
/// message header. Both suites use X25519 + ML-KEM-1024 for agreement and SHA-256 for every KDF.
/// </summary>
public enum CipherSuite : byte
{
    /// <summary>Suite 1 (default): X25519 + ML-KEM-1024, ChaCha20-Poly1305, SHA-256.</summary>
    X25519MlKem1024ChaCha20Poly1305Sha256 = 1,

    /// <summary>Suite 2: X25519 + ML-KEM-1024, AES-256-GCM, SHA-256.</summary>
    X25519MlKem1024Aes256GcmSha256 = 2,
}

/// <summary>Facts about the known suites and the downgrade-proof negotiation rule.</summary>
public static class CipherSuites
{
    /// <summary>Every suite this implementation supports, in its default preference order.</summary>
    public static IReadOnlyList<CipherSuite> All { get; } =
        [CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256, CipherSuite.X25519MlKem1024Aes256GcmSha256];

    /// <summary>True for a suite this implementation knows.</summary>
    /// <param name="suite">The suite id.</param>
    public static bool IsKnown(CipherSuite suite) =>
        suite is CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256 or CipherSuite.X25519MlKem1024Aes256GcmSha256;

    /// <summary>The AEAD a suite uses for messages.</summary>
    /// <param name="suite">A known suite.</param>
    /// <exception cref="ArgumentOutOfRangeException">The suite is unknown.</exception>
    public static AeadAlgorithm AeadOf(CipherSuite suite) => suite switch
    {
        CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256 => AeadAlgorithm.ChaCha20Poly1305,
        CipherSuite.X25519MlKem1024Aes256GcmSha256 => AeadAlgorithm.Aes256Gcm,
        _ => throw new ArgumentOutOfRangeException(nameof(suite)),
    };

    /// <summary>
    /// The first suite in the initiator's preference order that the responder's signed list contains
    /// (and this implementation knows), or null. Because the responder's list is signed by its
    /// identity, a server cannot remove the strong suites to force a weaker one.
    /// </summary>
    /// <param name="initiatorPreference">The initiator's suites, most preferred first.</param>
    /// <param name="responderSuites">The responder's verified, signed list.</param>
    public static CipherSuite? Negotiate(IReadOnlyList<CipherSuite> initiatorPreference, SignedSuiteList responderSuites)
    {
        ArgumentNullException.ThrowIfNull(initiatorPreference);
        ArgumentNullException.ThrowIfNull(responderSuites);
        foreach (var suite in initiatorPreference)
        {
            if (IsKnown(suite) && responderSuites.Contains(suite))
            {
                return suite;
            }
        }

        return null;
    }
}
