using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Primitives;

namespace Parley.Crypto.Keys;

/// <summary>
/// The public identity of an account: its Ed25519 signing key, its X25519 agreement key and the
/// signing key's signature over the agreement key. An instance always holds a verified signature
/// and an acceptable agreement key — <see cref="TryParse"/> checks both.
/// </summary>
public sealed class IdentityKey : IEquatable<IdentityKey>
{
    /// <summary>Length of the serialized form: version, tag, 32 + 32 key bytes, 64 signature bytes.</summary>
    public const int SerializedSize = KeyFormat.HeaderSize + Ed25519.PublicKeySize + X25519.PublicKeySize + Ed25519.SignatureSize;

    private readonly byte[] _signingKey;
    private readonly byte[] _agreementKey;
    private readonly byte[] _signature;

    private IdentityKey(byte[] signingKey, byte[] agreementKey, byte[] signature)
    {
        _signingKey = signingKey;
        _agreementKey = agreementKey;
        _signature = signature;
    }

    /// <summary>The 32-byte Ed25519 public key that signs everything the account publishes.</summary>
    public ReadOnlySpan<byte> SigningKey => _signingKey;

    /// <summary>The 32-byte X25519 identity agreement public key.</summary>
    public ReadOnlySpan<byte> AgreementKey => _agreementKey;

    /// <summary>The signing key's 64-byte signature over the agreement key.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Parses and verifies a serialized identity key. Never throws on hostile input.</summary>
    /// <param name="input">Untrusted bytes, exactly <see cref="SerializedSize"/> long.</param>
    /// <param name="identityKey">The verified key, or null.</param>
    public static bool TryParse(ReadOnlySpan<byte> input, [NotNullWhen(true)] out IdentityKey? identityKey)
    {
        identityKey = null;
        var reader = new ByteReader(input);
        if (input.Length != SerializedSize || !reader.TryReadHeader(KeyTypeTag.IdentityKey) ||
            !reader.TryReadBytes(Ed25519.PublicKeySize, out var signing) ||
            !reader.TryReadBytes(X25519.PublicKeySize, out var agreement) ||
            !reader.TryReadBytes(Ed25519.SignatureSize, out var signature))
        {
            return false;
        }

        return TryCreate(signing, agreement, signature, out identityKey);
    }

    /// <summary>Creates an identity key from its parts, verifying the signature and the agreement key.</summary>
    /// <param name="signingKey">32-byte Ed25519 public key.</param>
    /// <param name="agreementKey">32-byte X25519 public key.</param>
    /// <param name="signature">64-byte signature by <paramref name="signingKey"/>.</param>
    /// <param name="identityKey">The verified key, or null.</param>
    public static bool TryCreate(
        ReadOnlySpan<byte> signingKey,
        ReadOnlySpan<byte> agreementKey,
        ReadOnlySpan<byte> signature,
        [NotNullWhen(true)] out IdentityKey? identityKey)
    {
        identityKey = null;
        if (signingKey.Length != Ed25519.PublicKeySize || !X25519.IsAcceptablePublicKey(agreementKey) ||
            !Ed25519.Verify(signingKey, SignatureInput(agreementKey), signature))
        {
            return false;
        }

        identityKey = new IdentityKey(signingKey.ToArray(), agreementKey.ToArray(), signature.ToArray());
        return true;
    }

    /// <summary>Verifies a signature made by this identity's signing key. Never throws.</summary>
    /// <param name="message">The signed bytes.</param>
    /// <param name="signature">Untrusted signature.</param>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519.Verify(_signingKey, message, signature);

    /// <summary>Serializes to version || tag || signing key || agreement key || signature (130 bytes).</summary>
    public byte[] Serialize()
    {
        var output = new byte[SerializedSize];
        KeyFormat.WriteHeader(output, KeyTypeTag.IdentityKey);
        _signingKey.CopyTo(output, 2);
        _agreementKey.CopyTo(output, 2 + Ed25519.PublicKeySize);
        _signature.CopyTo(output, 2 + Ed25519.PublicKeySize + X25519.PublicKeySize);
        return output;
    }

    /// <inheritdoc />
    public bool Equals(IdentityKey? other) =>
        other is not null && _signingKey.AsSpan().SequenceEqual(other._signingKey) &&
        _agreementKey.AsSpan().SequenceEqual(other._agreementKey);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdentityKey);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_signingKey, 0);

    /// <inheritdoc />
    public override string ToString() => nameof(IdentityKey);

    internal static byte[] SignatureInput(ReadOnlySpan<byte> agreementKey) =>
        KeyFormat.SignatureInput(KeyTypeTag.IdentityKey, 0, [], agreementKey);

    internal static IdentityKey FromTrusted(byte[] signingKey, byte[] agreementKey, byte[] signature) =>
        new(signingKey, agreementKey, signature);
}
