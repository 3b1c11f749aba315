using System.Security.Cryptography;
using System.Text;
using Parley.Client.Errors;

namespace Parley.Client.Storage;

/// <summary>
/// Seals store columns with ChaCha20-Poly1305 under a sub-key of the <see cref="StoreKey"/>:
/// <c>nonce(12) || ciphertext || tag(16)</c>, random nonces (a store seals far fewer than 2^32
/// values). The associated data names the table, column and row, so a sealed value moved to
/// another row or table fails to open. Lookup tags (HMAC-SHA-256 under a second sub-key) let the
/// store find a contact's rows without writing the contact's name in the clear.
/// </summary>
internal sealed class ColumnSealer : IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int LookupTagSize = 16;

    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _tagKey;

    public ColumnSealer(StoreKey key)
    {
        var sealKey = key.DeriveSubKey("parley/store/seal/v1");
        try
        {
            _aead = new ChaCha20Poly1305(sealKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sealKey);
        }

        _tagKey = key.DeriveSubKey("parley/store/lookup/v1");
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string location)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aead.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(location));
        return output;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedValue, string location)
    {
        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt);
        }

        var length = sealedValue.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            _aead.Decrypt(sealedValue[..NonceSize], sealedValue.Slice(NonceSize, length), sealedValue[^TagSize..], plaintext, Encoding.UTF8.GetBytes(location));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ParleyClientException(ClientErrorKind.StoreCorrupt, e);
        }
    }

    public byte[] LookupTag(string value)
    {
        var mac = HMACSHA256.HashData(_tagKey, Encoding.UTF8.GetBytes(value));
        return mac.AsSpan(0, LookupTagSize).ToArray();
    }

    public void Dispose()
    {
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(_tagKey);
    }
}
