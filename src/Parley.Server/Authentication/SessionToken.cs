using System.Buffers.Text;
using System.Security.Cryptography;

namespace Parley.Server.Authentication;

/// <summary>
/// Bearer session tokens: 32 random bytes sent as 43 characters of unpadded base64url. The server
/// stores only SHA-256 of the raw bytes, so a stolen database yields no usable token.
/// </summary>
public static class SessionToken
{
    /// <summary>Random bytes in a token.</summary>
    public const int ByteLength = 32;

    /// <summary>Characters in the token's text form.</summary>
    public const int TextLength = 43;

    /// <summary>Creates a token; returns its text (for the client) and its hash (for the store).</summary>
    public static (string Token, byte[] Hash) Create()
    {
        Span<byte> raw = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(raw);
        var token = Base64Url.EncodeToString(raw);
        var hash = SHA256.HashData(raw);
        CryptographicOperations.ZeroMemory(raw);
        return (token, hash);
    }

    /// <summary>Hashes a presented token; false when it is not a well-formed token.</summary>
    public static bool TryHash(ReadOnlySpan<char> token, out byte[] hash)
    {
        hash = [];
        // Base64Url.TryDecodeFromChars throws on invalid characters; validate first.
        if (token.Length != TextLength || !Base64Url.IsValid(token, out var decodedLength) || decodedLength != ByteLength)
        {
            return false;
        }
        Span<byte> raw = stackalloc byte[ByteLength + 2];
        if (!Base64Url.TryDecodeFromChars(token, raw, out var written) || written != ByteLength)
        {
            return false;
        }
        hash = SHA256.HashData(raw[..ByteLength]);
        CryptographicOperations.ZeroMemory(raw);
        return true;
    }
}
