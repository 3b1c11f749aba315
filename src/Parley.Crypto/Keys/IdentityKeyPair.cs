using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>
/// An account's private identity: the Ed25519 signing key and the X25519 agreement key it signs.
/// The private form is 66 bytes (version, tag, Ed25519 seed, X25519 private key); the signature
/// over the agreement key is deterministic and recomputed on load.
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    /// <summary>Length of the private serialized form.</summary>
    public const int SerializedPrivateSize = KeyFormat.HeaderSize + Ed25519.SeedSize + X25519.PrivateKeySize;

    private readonly Ed25519KeyPair _signing;
    private readonly X25519KeyPair _agreement;
    private bool _disposed;

    private IdentityKeyPair(Ed25519KeyPair signing, X25519KeyPair agreement)
    {
        _signing = signing;
        _agreement = agreement;
        var agreementPublic = agreement.PublicKey.ToArray();
        var signature = signing.Sign(IdentityKey.SignatureInput(agreementPublic));
        PublicKey = IdentityKey.FromTrusted(signing.PublicKey.ToArray(), agreementPublic, signature);
    }

    /// <summary>The public identity to publish.</summary>
    public IdentityKey PublicKey { get; }

    /// <summary>The X25519 identity agreement key pair (used by the key agreement).</summary>
    internal X25519KeyPair AgreementKeyPair
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _agreement;
        }
    }

    /// <summary>Creates a fresh identity.</summary>
    public static IdentityKeyPair Generate() => new(Ed25519KeyPair.Generate(), X25519KeyPair.Generate());

    /// <summary>Parses the private form written by <see cref="SerializePrivate"/>. Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes, exactly <see cref="SerializedPrivateSize"/> long.</param>
    /// <param name="keyPair">The identity, or null.</param>
    public static bool TryParsePrivate(ReadOnlySpan<byte> input, [NotNullWhen(true)] out IdentityKeyPair? keyPair)
    {
        keyPair = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedPrivateSize || !reader.TryReadHeader(KeyTypeTag.IdentityKeyPair) ||
            !reader.TryReadBytes(Ed25519.SeedSize, out var seed) ||
            !reader.TryReadBytes(X25519.PrivateKeySize, out var agreementPrivate))
        {
            return false;
        }

        var signing = Ed25519KeyPair.FromSeed(seed);
        var agreement = X25519KeyPair.FromPrivateKey(agreementPrivate);
        if (!X25519.IsAcceptablePublicKey(agreement.PublicKey))
        {
            signing.Dispose();
            agreement.Dispose();
            return false;
        }

        keyPair = new IdentityKeyPair(signing, agreement);
        return true;
    }

    /// <summary>
    /// Writes the private form (66 bytes). The result is secret: store it only encrypted and wipe it
    /// with <see cref="CryptographicOperations.ZeroMemory"/> when done.
    /// </summary>
    public byte[] SerializePrivate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var output = new byte[SerializedPrivateSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.IdentityKeyPair);
        _signing.ExportSeed(output.AsSpan(2, Ed25519.SeedSize));
        _agreement.ExportPrivateKey(output.AsSpan(2 + Ed25519.SeedSize, X25519.PrivateKeySize));
        return output;
    }

    /// <summary>Signs <paramref name="message"/> with the Ed25519 identity key.</summary>
    /// <param name="message">The bytes to sign.</param>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _signing.Sign(message);
    }

    /// <summary>Wipes both private keys.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _signing.Dispose();
        _agreement.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => nameof(IdentityKeyPair);
}
