namespace Parley.Crypto.Primitives;

/// <summary>
/// Sizes and public-key checks for X25519 (RFC 7748). The server uses
/// <see cref="IsAcceptablePublicKey"/> to refuse uploaded keys that would force a known result.
/// </summary>
public static class X25519
{
    /// <summary>Length of a public key in bytes.</summary>
    public const int PublicKeySize = 32;

    /// <summary>Length of a private key (scalar) in bytes.</summary>
    public const int PrivateKeySize = 32;

    /// <summary>Length of the shared secret in bytes.</summary>
    public const int SharedSecretSize = 32;

    // The points of order 1, 2, 4 and 8 and their non-canonical encodings (libsodium's blocklist);
    // the top bit is ignored as RFC 7748 requires, so the high-bit variants are covered too.
    private static readonly byte[][] LowOrderPoints =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    ];

    /// <summary>
    /// Returns true when <paramref name="publicKey"/> is 32 bytes and not one of the known low-order
    /// points (whose agreement result does not depend on the private key). Never throws.
    /// </summary>
    /// <param name="publicKey">Untrusted public key bytes.</param>
    public static bool IsAcceptablePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize)
        {
            return false;
        }

        Span<byte> masked = stackalloc byte[PublicKeySize];
        publicKey.CopyTo(masked);
        masked[31] &= 0x7f;
        var bad = false;
        foreach (var point in LowOrderPoints)
        {
            bad |= masked.SequenceEqual(point);
        }

        return !bad;
    }
}
