using System.Security.Cryptography;
using Sodium = NSec.Cryptography;

namespace Parley.Crypto.Primitives;

/// <summary>
/// The libsodium key (through NSec) behind <see cref="Ed25519KeyPair"/> and <see cref="X25519KeyPair"/>:
/// created exportable, so the private key can be stored, with its raw public key and disposal. The
/// public wrappers hold one of these rather than derive from it, because a public type cannot have
/// an internal base; they check <see cref="IsDisposed"/> themselves so the exception names them.
/// </summary>
internal sealed class NSecKeyPair : IDisposable
{
    private readonly byte[] _publicKey;

    private NSecKeyPair(Sodium.Key key)
    {
        Key = key;
        _publicKey = key.PublicKey.Export(Sodium.KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The libsodium key; callers check <see cref="IsDisposed"/> first.</summary>
    internal Sodium.Key Key { get; }

    /// <summary>The raw public key; callers check <see cref="IsDisposed"/> first.</summary>
    internal ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>True once the private key has been wiped.</summary>
    internal bool IsDisposed { get; private set; }

    /// <summary>Creates a fresh, exportable key from the system's random number generator.</summary>
    internal static NSecKeyPair Generate(Sodium.Algorithm algorithm)
    {
        var parameters = ExportableParameters();
        return new NSecKeyPair(Sodium.Key.Create(algorithm, in parameters));
    }

    /// <summary>Imports a raw private key (length already checked by the caller) as an exportable key.</summary>
    internal static NSecKeyPair Import(Sodium.Algorithm algorithm, ReadOnlySpan<byte> privateKey)
    {
        var parameters = ExportableParameters();
        return new NSecKeyPair(Sodium.Key.Import(algorithm, privateKey, Sodium.KeyBlobFormat.RawPrivateKey, in parameters));
    }

    /// <summary>Writes exactly <paramref name="size"/> raw private-key bytes into <paramref name="destination"/>.</summary>
    /// <exception cref="CryptographicException">libsodium did not export <paramref name="size"/> bytes.</exception>
    internal void ExportPrivateKey(Span<byte> destination, int size)
    {
        if (!Key.TryExport(Sodium.KeyBlobFormat.RawPrivateKey, destination, out var written) || written != size)
        {
            throw new CryptographicException("The private key could not be exported.");
        }
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        Key.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(NSecKeyPair);

    private static Sodium.KeyCreationParameters ExportableParameters() =>
        new() { ExportPolicy = Sodium.KeyExportPolicies.AllowPlaintextExport };
}
