using System.Text;
using Parley.Crypto.Keys;

namespace Parley.Crypto.Fingerprint;

/// <summary>
/// The public identity material of one party that goes into a safety number: the account id and
/// both identity public keys (Ed25519 signing key and X25519 agreement key). Public data only.
/// </summary>
public sealed class FingerprintIdentity
{
    /// <summary>Length in bytes of each identity public key.</summary>
    public const int PublicKeyLength = 32;

    /// <summary>Longest account id accepted, in UTF-8 bytes.</summary>
    public const int MaxAccountIdBytes = 256;

    private readonly byte[] _ed25519;
    private readonly byte[] _x25519;
    private readonly byte[] _accountId;

    /// <summary>Creates the identity from an account id and the two identity public keys.</summary>
    /// <param name="accountId">The stable account id (username) the keys belong to; non-empty.</param>
    /// <param name="ed25519PublicKey">The 32-byte Ed25519 identity public key.</param>
    /// <param name="x25519PublicKey">The 32-byte X25519 identity agreement public key.</param>
    /// <exception cref="ArgumentException">A key has the wrong length or the account id is empty or too long.</exception>
    public FingerprintIdentity(string accountId, ReadOnlySpan<byte> ed25519PublicKey, ReadOnlySpan<byte> x25519PublicKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        if (ed25519PublicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException("The Ed25519 public key must be 32 bytes.", nameof(ed25519PublicKey));
        }

        if (x25519PublicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException("The X25519 public key must be 32 bytes.", nameof(x25519PublicKey));
        }

        byte[] id = Encoding.UTF8.GetBytes(accountId);
        if (id.Length > MaxAccountIdBytes)
        {
            throw new ArgumentException("The account id is too long.", nameof(accountId));
        }

        AccountId = accountId;
        _accountId = id;
        _ed25519 = ed25519PublicKey.ToArray();
        _x25519 = x25519PublicKey.ToArray();
    }

    /// <summary>The identity of <paramref name="accountId"/> from its published identity key.</summary>
    /// <param name="accountId">The account id the key belongs to.</param>
    /// <param name="identityKey">The account's identity key (signing and agreement public keys).</param>
    public static FingerprintIdentity From(string accountId, IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return new FingerprintIdentity(accountId, identityKey.SigningKey, identityKey.AgreementKey);
    }

    /// <summary>The account id.</summary>
    public string AccountId { get; }

    /// <summary>The Ed25519 identity public key.</summary>
    public ReadOnlySpan<byte> Ed25519PublicKey => _ed25519;

    /// <summary>The X25519 identity agreement public key.</summary>
    public ReadOnlySpan<byte> X25519PublicKey => _x25519;

    internal ReadOnlySpan<byte> AccountIdUtf8 => _accountId;

    /// <summary>Identity key material as hashed: Ed25519 public key || X25519 public key.</summary>
    internal byte[] KeyMaterial()
    {
        byte[] material = new byte[2 * PublicKeyLength];
        _ed25519.CopyTo(material, 0);
        _x25519.CopyTo(material, PublicKeyLength);
        return material;
    }
}
