using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Wire.Rest;

namespace Parley.Server.Accounts;

/// <summary>
/// OWASP "device cookies": after a successful login the client receives a cookie that names its
/// account and lets it past the account-wide lockout later (it is throttled on its own budget
/// instead). Stateless and authenticated, so any node checks it:
/// <c>version(1) || accountId(8, big-endian) || expiresAt unix seconds(8) || deviceNonce(16) || HMAC-SHA256(serverKey, first 33 bytes)</c>,
/// base64url without padding (87 characters). A cookie for another account, expired, or with a bad
/// MAC is simply ignored: the login goes on as untrusted.
/// </summary>
public sealed class DeviceCookies(ServerSecret secret, IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>Length of a cookie in bytes.</summary>
    public const int Length = SignedLength + HMACSHA256.HashSizeInBytes;

    private const byte Version = 1;
    private const int NonceOffset = 17;
    private const int NonceLength = 16;
    private const int SignedLength = NonceOffset + NonceLength;
    private readonly byte[] macKey = secret.Derive("device-cookie-mac", []);

    /// <summary>Issues a new cookie for <paramref name="account"/>.</summary>
    public string Issue(AccountId account)
    {
        var cookie = new byte[Length];
        cookie[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(cookie.AsSpan(1), account.Value);
        BinaryPrimitives.WriteInt64BigEndian(cookie.AsSpan(9), time.GetUtcNow().Add(options.Value.DeviceCookieLifetime).ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(cookie.AsSpan(NonceOffset, NonceLength));
        HMACSHA256.HashData(macKey, cookie.AsSpan(0, SignedLength), cookie.AsSpan(SignedLength));
        return Base64Url.EncodeToString(cookie);
    }

    /// <summary>
    /// The device id of a valid cookie for <paramref name="account"/>, or null. The MAC is computed
    /// whenever a cookie of the right shape is presented, for known and unknown accounts alike.
    /// </summary>
    public string? Validate(string? cookie, AccountId? account)
    {
        if (cookie is null || cookie.Length > DeviceCookieLimits.MaxEncodedLength)
        {
            return null;
        }
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (!Base64Url.TryDecodeFromChars(cookie, bytes, out var written) || written != Length)
        {
            return null;
        }
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(macKey, bytes[..SignedLength], mac);
        var authentic = CryptographicOperations.FixedTimeEquals(mac, bytes.Slice(SignedLength, HMACSHA256.HashSizeInBytes));
        var owner = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        return authentic && bytes[0] == Version && account is { } id && id.Value == owner && expires > time.GetUtcNow().ToUnixTimeSeconds()
            ? Base64Url.EncodeToString(bytes.Slice(NonceOffset, NonceLength))
            : null;
    }
}
