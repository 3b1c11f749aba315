using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Tests.Calls;

/// <summary>
/// coturn's time-limited credential scheme written again from its documentation, independently of the
/// server's code: password = base64(HMAC-SHA1(secret, username)), username = "expiry:anything".
/// </summary>
internal static class TurnPasswords
{
    public static string For(string secret, string username)
    {
#pragma warning disable CA5350 // the scheme is defined with HMAC-SHA1.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
    }

    public static string Username(DateTimeOffset expiry, string opaque) =>
        expiry.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + opaque;
}
